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
 * it), so that no global appears in the action's own context. Node warns that a flag set at run time may do
 * nothing: then nothing is collected early, and a copy costs memory, never its success.
 */
function youngCollector(): () => void {
  const gc = globalThis.gc ?? exposedGc();
  return gc === undefined ? () => undefined : () => gc({ type: 'minor' });
}

function exposedGc(): NodeJS.GCFunction | undefined {
  setFlagsFromString('--expose-gc');
  try {
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
    return typeof gc === 'function' ? (gc as NodeJS.GCFunction) : undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
