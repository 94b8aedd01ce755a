import type { Traffic } from './latency-proxy.js';
import { spreadOf, type Spread } from './stats.js';

export interface Cell {
  time: Spread | undefined;
  rssKiB: Spread | undefined;
  /** The traffic of the first repetition. */
  traffic: Traffic | undefined;
  /** The first failure, if any run failed. */
  failure: string | undefined;
}

interface Samples {
  ms: number[];
  rssKiB: number[];
  traffic?: Traffic;
  failure?: string;
}

/** Every sample, keyed by scenario and tool. */
export class Results {
  readonly #samples = new Map<string, Samples>();

  #entry(key: string): Samples {
    let entry = this.#samples.get(key);
    if (entry === undefined) this.#samples.set(key, (entry = { ms: [], rssKiB: [] }));
    return entry;
  }

  add(key: string, ms: number, rssKiB: number | undefined, traffic?: Traffic): void {
    const entry = this.#entry(key);
    entry.ms.push(ms);
    if (rssKiB !== undefined) entry.rssKiB.push(rssKiB);
    entry.traffic ??= traffic;
  }

  fail(key: string, reason: string): void {
    this.#entry(key).failure ??= reason;
  }

  cell(key: string): Cell {
    const entry = this.#samples.get(key);
    return {
      time: spreadOf(entry?.ms ?? []),
      rssKiB: spreadOf(entry?.rssKiB ?? []),
      traffic: entry?.traffic,
      failure: entry?.failure,
    };
  }
}
