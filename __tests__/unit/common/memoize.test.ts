import { describe, expect, it } from '@jest/globals';
import { Memo } from '../../../src/common/memoize.js';

/** A computation the test settles by hand, counting how often it was started. */
function controlled<V>() {
  let started = 0;
  const settle: Array<{ resolve: (value: V) => void; reject: (error: Error) => void }> = [];
  const compute = () => {
    started += 1;
    return new Promise<V>((resolve, reject) => settle.push({ resolve, reject }));
  };
  return { compute, settle, started: () => started };
}

describe('Memo', () => {
  it('shares one in-flight computation per key, and keeps keys apart', async () => {
    const memo = new Memo<string>('retry');
    const work = controlled<string>();

    const first = memo.get('a', work.compute);
    const second = memo.get('a', work.compute);
    const other = memo.get('b', work.compute);
    work.settle[0]?.resolve('one');
    work.settle[1]?.resolve('two');

    expect(second).toBe(first);
    expect(await Promise.all([first, second, other])).toEqual(['one', 'one', 'two']);
    expect(work.started()).toBe(2);
    expect(await memo.get('a', work.compute)).toBe('one');
    expect(work.started()).toBe(2);
  });

  it("'retry' drops a failure once settled: the next call computes again", async () => {
    const memo = new Memo<string>('retry');
    const work = controlled<string>();

    const failing = memo.get('a', work.compute);
    const sharing = memo.get('a', work.compute);
    work.settle[0]?.reject(new Error('refused'));
    await expect(failing).rejects.toThrow('refused');
    await expect(sharing).rejects.toThrow('refused');

    const again = memo.get('a', work.compute);
    work.settle[1]?.resolve('granted');
    expect(await again).toBe('granted');
    expect(work.started()).toBe(2);
  });

  it("'remember' keeps a failure: later calls get the same one", async () => {
    const memo = new Memo<string>('remember');
    const work = controlled<string>();

    const failing = memo.get('a', work.compute);
    work.settle[0]?.reject(new Error('no helper'));
    await expect(failing).rejects.toThrow('no helper');

    await expect(memo.get('a', work.compute)).rejects.toThrow('no helper');
    expect(work.started()).toBe(1);
  });

  it('computes again after delete, and lists every promise started', async () => {
    const memo = new Memo<string>('remember');
    const work = controlled<string>();

    const first = memo.get('a', work.compute);
    work.settle[0]?.resolve('old');
    await first;
    memo.delete('a');
    const second = memo.get('a', work.compute);
    work.settle[1]?.resolve('new');

    expect(await second).toBe('new');
    expect(work.started()).toBe(2);
    expect(await Promise.all(memo.values())).toEqual(['new']);
  });
});
