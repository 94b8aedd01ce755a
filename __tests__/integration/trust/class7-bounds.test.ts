// Class 7 of issue 16 (archive caps aside): bounds. A `Retry-After` longer than the time the run has left fails
// the run at once, naming the wait; an upload session the run opened is cancelled (DELETE) on every failure path,
// a timeout included; a run whose timeout fires ends soon after (how soon is printed, not asserted: timings
// belong in bench/).
import { describe, expect, it } from '@jest/globals';
import { runAction } from '../../../testkit/run-action.js';
import { registryErrorAnswer, type FaultRule } from '../../support/fault-proxy.js';
import {
  CASE_TIMEOUT_MS,
  annotation,
  publishInputs,
  seedRelease,
  copyingInputs,
  trustClass,
} from './trust-kit.js';

const TAGS = ['1', 'latest'];
const { figures, site } = trustClass('class 7 (bounds: Retry-After, upload sessions, timeout)');

/** Upload sessions the proxy saw opened (202), finished (201) and cancelled (DELETE) in `repo`. */
function sessions(repo: string): { opened: number; finished: number; cancelled: number } {
  const uploads = site().proxy.seen.filter((entry) => entry.path.startsWith(`/v2/${repo}/blobs/uploads/`));
  return {
    opened: uploads.filter((entry) => entry.method === 'POST' && entry.status === 202).length,
    finished: uploads.filter((entry) => entry.method === 'PUT' && entry.status === 201).length,
    cancelled: uploads.filter((entry) => entry.method === 'DELETE').length,
  };
}

const uploadPut = (repo: string, fault: FaultRule['fault']): FaultRule => ({
  method: 'PUT',
  path: new RegExp(`^/v2/${repo}/blobs/uploads/[^?]`),
  fault,
});

describe('bounds', () => {
  it(
    'a Retry-After longer than the time left fails at once, naming the wait',
    async () => {
      const release = await seedRelease(site(), 'trust7/retry-after', TAGS);
      site().proxy.setRules([
        {
          method: 'GET',
          path: `/v2/${release.repo}/manifests/amd64`,
          fault: { kind: 'reply', status: 503, headers: { 'retry-after': '3600' } },
        },
      ]);
      const run = await runAction(publishInputs(site(), release, { timeout: '2m' }));

      const verdict = await figures.judge(site(), release, run);
      expect(run.exitCode).toBe(1);
      expect(annotation(run)).toMatch(
        /the registry asks to wait 3600 s \(Retry-After\) before trying again, more than the \d+ s left of the run's timeout/,
      );
      // Asked once: not waited out, not retried.
      expect(site().proxy.count('GET', `/v2/${release.repo}/manifests/amd64`)).toBe(1);
      expect(verdict.held).toEqual(TAGS.map(() => release.digest));
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'an upload refused for good: the session it used is cancelled',
    async () => {
      const release = await seedRelease(site(), 'trust7/refused', TAGS, 'trust7/refused-src');
      site().proxy.setRules([
        uploadPut(release.repo, registryErrorAnswer(400, 'BLOB_UPLOAD_INVALID', 'upload refused')),
      ]);
      const run = await runAction(copyingInputs(site(), release));

      const verdict = await figures.judge(site(), release, run);
      expect(run.exitCode).toBe(1);
      const { opened, finished, cancelled } = sessions(release.repo);
      expect(opened).toBeGreaterThan(0);
      expect(finished + cancelled).toBe(opened);
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'the timeout fires while an upload stalls: the run ends, naming the timeout, and cancels the session',
    async () => {
      const release = await seedRelease(site(), 'trust7/stalled', TAGS, 'trust7/stalled-src');
      site().proxy.setRules([uploadPut(release.repo, { kind: 'silence' })]);
      const startedAt = Date.now();
      const run = await runAction(copyingInputs(site(), release, { timeout: '6s' }));
      const seconds = (Date.now() - startedAt) / 1000;

      const verdict = await figures.judge(site(), release, run);
      expect(run.exitCode).toBe(1);
      expect(annotation(run)).toMatch(/^::error title=Timed out::/);
      expect(annotation(run)).toContain(`the run's timeout (6s) passed while waiting for PUT`);
      const { opened, finished, cancelled } = sessions(release.repo);
      expect(opened).toBeGreaterThan(0);
      expect(finished + cancelled).toBe(opened);
      expect(verdict.faults).toEqual([]);
      process.stdout.write(`class 7: a run with timeout 6s, its upload stalled, exited after ${seconds} s\n`);
    },
    CASE_TIMEOUT_MS,
  );
});
