/** What a memo does with a failed computation. */
export type FailurePolicy =
  /** The rejection is dropped once settled: the next call for that key computes again. */
  | 'retry'
  /** The rejection is kept: every later call for that key gets the same failure. */
  | 'remember';

/**
 * Per-key in-flight work, shared: concurrent and later calls for one key get one promise. `policy` says whether a
 * failure is remembered or tried again by the next caller. Keys are strings, so callers say what makes two calls
 * the same.
 */
export class Memo<V> {
  readonly #entries = new Map<string, Promise<V>>();
  readonly #policy: FailurePolicy;

  constructor(policy: FailurePolicy) {
    this.#policy = policy;
  }

  get(key: string, compute: () => Promise<V>): Promise<V> {
    const known = this.#entries.get(key);
    if (known !== undefined) return known;
    const pending = compute();
    this.#entries.set(key, pending);
    if (this.#policy === 'retry') {
      pending.catch(() => {
        if (this.#entries.get(key) === pending) this.#entries.delete(key);
      });
    }
    return pending;
  }

  /** Forgets `key`, so the next call computes again (a token the registry no longer takes, say). */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Every promise started so far, settled or not: what a caller closes at the end. */
  values(): Promise<V>[] {
    return [...this.#entries.values()];
  }
}
