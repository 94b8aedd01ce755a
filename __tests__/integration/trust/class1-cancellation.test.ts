// Class 1 of issue 16: tag moves finish or roll back whatever ends the run. The run's own `timeout` passing while
// a tag move hangs, and the runner's cancellation (SIGINT, then SIGTERM) sent to `node dist/index.js` mid-move:
// every tag is read back with the raw client and must hold what it held before, with the error, the summary and
// the outputs still written.
import { describe, expect, it } from '@jest/globals';
import { startAction, type ActionRun } from '../../../testkit/run-action.js';
import type { FaultProxy } from '../../support/fault-proxy.js';
import {
  CASE_TIMEOUT_MS,
  annotation,
  copyingInputs,
  publishInputs,
  seedRelease,
  tagPath,
  type Release,
  trustClass,
} from './trust-kit.js';

const TAGS = ['t1', 't2', 't3', 't4', 't5'];
const { figures, site } = trustClass('class 1 (tags under timeout and cancellation)');

/** Resolves once the proxy has taken a request matching `method` and `path`. */
async function seen(proxy: FaultProxy, method: string, path: RegExp): Promise<void> {
  while (!proxy.seen.some((entry) => entry.method === method && path.test(entry.url))) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Publishes over `release` with the move of `t2` held (the proxy takes the PUT and never answers), then, once the
 * held PUT arrived, sends `signals` one after the other, `gapMs` apart.
 */
async function cancelledMidMove(
  release: Release,
  signals: NodeJS.Signals[],
  gapMs: number,
): Promise<ActionRun> {
  site().proxy.setRules([
    { method: 'PUT', path: tagPath(release.repo, 't2'), times: 1, fault: { kind: 'silence' } },
  ]);
  const started = await startAction(publishInputs(site(), release));
  await seen(site().proxy, 'PUT', new RegExp(`${tagPath(release.repo, 't2')}$`));
  for (const [i, signal] of signals.entries()) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    started.child.kill(signal);
  }
  return started.done;
}

describe('the run ends while tags move', () => {
  it(
    'the timeout passes while a tag move hangs: the reserve puts every moved tag back',
    async () => {
      const release = await seedRelease(site(), 'trust1/timeout', TAGS);
      site().proxy.setRules([
        { method: 'PUT', path: tagPath(release.repo, 't2'), times: 1, fault: { kind: 'silence' } },
      ]);
      const { done } = await startAction(publishInputs(site(), release, { timeout: '8s' }));
      const run = await done;

      const verdict = await figures.judge(site(), release, run);
      expect(run.exitCode).toBe(1);
      expect(verdict.held).toEqual(TAGS.map(() => release.digest));
      expect(annotation(run)).toContain('::error title=Tags not moved::');
      expect(annotation(run)).toContain(`the run's timeout (8s) passed while waiting for PUT`);
      expect(annotation(run)).toContain('every tag this run moved was put back');
      expect(run.summary).toContain('put back');
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'SIGINT, then SIGTERM a second later, mid-move: every tag is put back, the error and summary are written',
    async () => {
      const release = await seedRelease(site(), 'trust1/sigint-sigterm', TAGS);
      const run = await cancelledMidMove(release, ['SIGINT', 'SIGTERM'], 1_000);

      const verdict = await figures.judge(site(), release, run);
      expect(run.exitCode).toBe(1);
      expect(verdict.held).toEqual(TAGS.map(() => release.digest));
      expect(run.stdout).toMatch(/^::warning::SIGINT received: no new work starts/m);
      expect(annotation(run)).toContain('::error title=Tags not moved::');
      expect(annotation(run)).toContain('the run was cancelled (SIGINT) while waiting for PUT');
      expect(annotation(run)).toContain('every tag this run moved was put back');
      expect(run.summary).toContain('put back');
      // No tag holds the new index, so no output names one.
      expect(run.outputs.tags).toBeUndefined();
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'SIGTERM alone mid-move: every tag is put back within its shorter grace',
    async () => {
      const release = await seedRelease(site(), 'trust1/sigterm', TAGS);
      const run = await cancelledMidMove(release, ['SIGTERM'], 0);

      const verdict = await figures.judge(site(), release, run);
      expect(run.exitCode).toBe(1);
      expect(verdict.held).toEqual(TAGS.map(() => release.digest));
      expect(annotation(run)).toContain('the run was cancelled (SIGTERM) while waiting for PUT');
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'SIGINT while children copy: no tag moves, the run says it was cancelled',
    async () => {
      const release = await seedRelease(site(), 'trust1/sigint-copy', TAGS, 'trust1/sigint-copy-src');
      site().proxy.setRules([
        { method: 'PUT', path: new RegExp(`/v2/${release.repo}/blobs/uploads/`), fault: { kind: 'silence' } },
      ]);
      const started = await startAction(copyingInputs(site(), release));
      await seen(site().proxy, 'PUT', new RegExp(`/v2/${release.repo}/blobs/uploads/`));
      started.child.kill('SIGINT');
      const run = await started.done;

      const verdict = await figures.judge(site(), release, run);
      expect(run.exitCode).toBe(1);
      expect(verdict.held).toEqual(TAGS.map(() => release.digest));
      expect(annotation(run)).toMatch(/^::error title=Cancelled::/);
      expect(annotation(run)).toContain('No tag was moved');
      expect(run.summary).not.toBe('');
      expect(verdict.faults).toEqual([]);
    },
    CASE_TIMEOUT_MS,
  );
});
