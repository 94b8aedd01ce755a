import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { describeError } from '../../../src/action/describe-error.js';
import { RunBounds, RunCancelledError, settleReserveMs } from '../../../src/action/run-bounds.js';
import { TimedOutError } from '../../../src/registry/http/timed-out-error.js';

// Fake timers: what fires when is decided by the bounds, not by how fast this machine is.
beforeEach(() => {
  jest.useFakeTimers({ now: 0 });
});
afterEach(() => {
  jest.useRealTimers();
});

const bounds = (ms: number): RunBounds => new RunBounds({ ms, text: `${ms / 1000}s` }, () => Date.now());

describe('RunBounds', () => {
  it('keeps a quarter of the timeout, at most 30 s, for the tags', () => {
    expect(settleReserveMs(8_000)).toBe(2_000);
    expect(settleReserveMs(600_000)).toBe(30_000);
  });

  it('stops the work a reserve before the timeout, naming the timeout', () => {
    const run = bounds(8_000);
    const work = run.signal('work');
    jest.advanceTimersByTime(5_999);
    expect(work.aborted).toBe(false);
    expect(run.msLeft()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(work.aborted).toBe(true);
    expect((work.reason as Error).message).toBe("the run's timeout (8s) passed");
    run.stop();
  });

  it('gives settling a fresh signal once the work has stopped: the reserve, not the expired bound', () => {
    const run = bounds(8_000);
    jest.advanceTimersByTime(6_000);
    run.settling();
    const settle = run.signal('work');
    expect(settle.aborted).toBe(false);
    expect(run.msLeft()).toBe(2_000);
    jest.advanceTimersByTime(2_000);
    expect(settle.aborted).toBe(true);
    run.stop();
  });

  it('lets a cleanup request outlive the stopped work by a moment', () => {
    const run = bounds(8_000);
    jest.advanceTimersByTime(6_000);
    expect(run.signal('work').aborted).toBe(true);
    const cleanup = run.signal('cleanup');
    expect(cleanup.aborted).toBe(false);
    run.stop();
  });

  it('lets a session opened before the work stopped get its answer, and opens none after', () => {
    const run = bounds(8_000);
    const opening = run.signal('opening');
    jest.advanceTimersByTime(6_000);
    expect(run.signal('work').aborted).toBe(true);
    expect(opening.aborted).toBe(false);
    expect(run.signal('opening').aborted).toBe(true);
    jest.advanceTimersByTime(2_000);
    expect(opening.aborted).toBe(true);
    run.stop();
  });

  it('gives the cleanups a run that ended left under way their moment, and no more, after the run is stopped', () => {
    const run = bounds(600_000);
    run.end();
    run.stop();
    const cleanup = run.signal('cleanup');
    expect(cleanup.aborted).toBe(false);
    jest.advanceTimersByTime(2_000);
    expect(cleanup.aborted).toBe(true);
  });

  it('stops the work at once on SIGINT, and ends settling within the grace SIGTERM then leaves', () => {
    const run = bounds(600_000);
    const work = run.signal('work');
    run.cancel('SIGINT');
    expect(work.aborted).toBe(true);
    expect(work.reason).toBeInstanceOf(RunCancelledError);
    run.settling();
    expect(run.msLeft()).toBe(6_000);
    jest.advanceTimersByTime(1_000);
    run.cancel('SIGTERM');
    expect(run.msLeft()).toBe(1_500);
    const settle = run.signal('work');
    jest.advanceTimersByTime(1_500);
    expect(settle.aborted).toBe(true);
    expect(settle.reason).toBeInstanceOf(RunCancelledError);
    run.stop();
  });

  it('titles a request cut by a cancellation "Cancelled", and one cut by the timeout "Timed out"', () => {
    const cancelled = new TimedOutError('waiting for PUT', {
      cause: new RunCancelledError('cancelled (SIGINT)'),
    });
    expect(describeError(cancelled).title).toBe('Cancelled');
    const timedOut = new TimedOutError('waiting for PUT', {
      cause: new Error("the run's timeout (8s) passed"),
    });
    expect(describeError(timedOut).title).toBe('Timed out');
  });
});
