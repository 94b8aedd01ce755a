import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Every socket or file read hands over a freshly allocated buffer, dead once written on. V8 frees such buffers only
 * at a garbage collection, and with so little JS allocation alongside, the first one comes when about 64 MiB of them
 * have piled up: a streamed copy used to hold ~70 MiB of dead buffers. A young-generation collection (~0.2 ms with
 * nothing else young to scan) every 8 MiB streamed, counted over all copies, bounds that to about 8 MiB.
 */
const RECLAIM_EVERY_BYTES = 8 * 1024 * 1024;

let streamedSinceReclaim = 0;
let collectYoung: (() => void) | undefined;

/** Counts `bytes` streamed through a copy; collects the young generation each time 8 MiB more went by. */
export function noteStreamedBytes(bytes: number): void {
  streamedSinceReclaim += bytes;
  if (streamedSinceReclaim < RECLAIM_EVERY_BYTES) return;
  streamedSinceReclaim = 0;
  collectYoung ??= youngCollector();
  collectYoung();
}

/**
 * V8's `gc` function, taken from a fresh context while `--expose-gc` is briefly on (unless the process already has
 * it), so that no global appears in the action's own context.
 */
function youngCollector(): () => void {
  let gc = globalThis.gc;
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    try {
      gc = runInNewContext('gc') as NodeJS.GCFunction;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  const exposed = gc;
  return () => exposed({ type: 'minor' });
}
