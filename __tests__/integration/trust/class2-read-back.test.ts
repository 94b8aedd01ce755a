// Class 2 of issue 16: outputs that say what each tag holds as read, never what was hoped. A registry that
// acknowledges a tag's PUT but keeps the old manifest, a PUT answered with another digest, a connection reset
// after the PUT landed: every tag is read back with the raw client, and the `tags`/`digest` outputs must name
// exactly the tags that hold that digest.
import { describe, expect, it } from '@jest/globals';
import { runAction } from '../../../testkit/run-action.js';
import { registryErrorAnswer } from '../../support/fault-proxy.js';
import {
  CASE_TIMEOUT_MS,
  FORGERY,
  annotation,
  publishInputs,
  ref,
  seedRelease,
  tagPath,
  trustClass,
} from './trust-kit.js';

const TAGS = ['1', '1.0', 'latest'];
const { figures, site } = trustClass('class 2 (outputs as read back)');

describe('the registry says one thing and holds another', () => {
  it(
    'a PUT acknowledged but not stored: the run fails, the other tags are put back, no output names a tag',
    async () => {
      const release = await seedRelease(site(), 'trust2/acked', TAGS);
      // Answered 201 by the proxy: the registry never sees the write and keeps serving release 1.
      site().proxy.setRules([
        { method: 'PUT', path: tagPath(release.repo, '1.0'), fault: { kind: 'reply', status: 201 } },
      ]);
      const run = await runAction(publishInputs(site(), release));

      const verdict = await figures.judge(site(), release, run);
      expect(run.exitCode).toBe(1);
      expect(verdict.held).toEqual(TAGS.map(() => release.digest));
      expect(annotation(run)).toContain(
        `failed to move tag ${ref(site(), release.repo, '1.0')}: the registry accepted ${ref(site(), release.repo, '1.0')} → `,
      );
      expect(annotation(run)).toContain(
        `but the tag reads back as ${release.digest}, what it held before (the write did not take)`,
      );
      expect(run.outputs.tags).toBeUndefined();
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'a PUT answered with another Docker-Content-Digest (and forged commands in its error): the tags are put back',
    async () => {
      const release = await seedRelease(site(), 'trust2/digest', TAGS);
      const wrong = `sha256:${'0'.repeat(64)}`;
      site().proxy.setRules([
        {
          method: 'PUT',
          path: tagPath(release.repo, 'latest'),
          times: 1,
          fault: { kind: 'headers', headers: { 'docker-content-digest': wrong } },
        },
        {
          method: 'PUT',
          path: tagPath(release.repo, '1'),
          times: 1,
          fault: registryErrorAnswer(403, 'DENIED', `denied${FORGERY}`),
        },
      ]);
      const run = await runAction(publishInputs(site(), release));

      const verdict = await figures.judge(site(), release, run);
      expect(run.exitCode).toBe(1);
      expect(verdict.held).toEqual(TAGS.map(() => release.digest));
      expect(annotation(run)).toContain(`the registry stored it as ${wrong}`);
      // The registry's text is in the log, where it cannot act as a command (the judge counts forged lines).
      expect(annotation(run)).toContain('pwned');
      expect(run.outputs.tags).toBeUndefined();
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'a connection reset after one PUT landed: the write is sent again, and every tag holds the index',
    async () => {
      const release = await seedRelease(site(), 'trust2/reset-once', TAGS);
      site().proxy.setRules([
        { method: 'PUT', path: tagPath(release.repo, '1.0'), times: 1, fault: { kind: 'drop' } },
      ]);
      const run = await runAction(publishInputs(site(), release));

      const verdict = await figures.judge(site(), release, run);
      expect(run.exitCode).toBe(0);
      expect(verdict.held).toEqual(TAGS.map(() => run.outputs.digest));
      expect(run.outputs.tags?.split('\n')).toEqual(TAGS.map((tag) => ref(site(), release.repo, tag)));
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'every answer to one tag reset after its PUT landed: the run fails, and the landed write is put back too',
    async () => {
      const release = await seedRelease(site(), 'trust2/reset-always', TAGS);
      site().proxy.setRules([{ method: 'PUT', path: tagPath(release.repo, '1.0'), fault: { kind: 'drop' } }]);
      const run = await runAction(publishInputs(site(), release));

      const verdict = await figures.judge(site(), release, run);
      expect(run.exitCode).toBe(1);
      expect(verdict.held).toEqual(TAGS.map(() => release.digest));
      expect(annotation(run)).toContain(`${ref(site(), release.repo, '1.0')}: put back to ${release.digest}`);
      expect(run.outputs.tags).toBeUndefined();
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );
});
