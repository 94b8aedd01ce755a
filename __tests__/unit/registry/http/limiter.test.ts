import { describe, expect, it } from '@jest/globals';
import { HostLimiter } from '../../../../src/registry/http/limiter.js';

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('HostLimiter', () => {
  it('queues past the cap per host, first come first served, and leaves other hosts alone', async () => {
    const limiter = new HostLimiter(2);
    const order: string[] = [];
    const take = (host: string, name: string) =>
      limiter.acquire(host).then((release) => {
        order.push(name);
        return release;
      });

    const a1 = await take('a.test', 'a1');
    await take('a.test', 'a2');
    const a3 = take('a.test', 'a3');
    const a4 = take('a.test', 'a4');
    await take('b.test', 'b1');
    await settle();
    expect(order).toEqual(['a1', 'a2', 'b1']);

    a1();
    a1(); // a second call must not free another slot
    await settle();
    expect(order).toEqual(['a1', 'a2', 'b1', 'a3']);

    (await a3)();
    await a4;
    expect(order).toEqual(['a1', 'a2', 'b1', 'a3', 'a4']);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects a cap of %p', (cap) => {
    expect(() => new HostLimiter(cap)).toThrow(`maxConcurrentPerHost must be a positive integer, got ${cap}`);
  });
});
