/** Gives back a slot taken from a HostLimiter; calling it again does nothing. */
export type Release = () => void;

interface HostSlots {
  active: number;
  waiting: Array<() => void>;
}

/** Caps in-flight requests per host; waiters are served first come, first served. */
export class HostLimiter {
  readonly #maxPerHost: number;
  readonly #hosts = new Map<string, HostSlots>();

  constructor(maxPerHost: number) {
    if (!Number.isInteger(maxPerHost) || maxPerHost < 1) {
      throw new RangeError(`maxConcurrentPerHost must be a positive integer, got ${maxPerHost}`);
    }
    this.#maxPerHost = maxPerHost;
  }

  /** Waits for a free slot on `host`; the slot is held until the returned Release is called. */
  async acquire(host: string): Promise<Release> {
    let slots = this.#hosts.get(host);
    if (!slots) {
      slots = { active: 0, waiting: [] };
      this.#hosts.set(host, slots);
    }
    if (slots.active < this.#maxPerHost) {
      slots.active += 1;
    } else {
      const queue = slots.waiting;
      // The releasing request hands its slot over, so `active` stays as it is.
      await new Promise<void>((resolve) => queue.push(resolve));
    }
    return this.#releaser(host, slots);
  }

  #releaser(host: string, slots: HostSlots): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = slots.waiting.shift();
      if (next) {
        next();
        return;
      }
      slots.active -= 1;
      if (slots.active === 0) this.#hosts.delete(host);
    };
  }
}
