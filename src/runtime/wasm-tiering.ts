import { setFlagsFromString } from 'node:v8';

/**
 * undici parses HTTP/1.1 with llhttp, compiled to WebAssembly when the first connection opens. V8 compiles it with
 * its baseline compiler, then recompiles the hot parser with its optimizing one on a background thread: tens of
 * milliseconds of CPU, taken from the registry's share on a small runner, that a run of a few dozen requests never
 * earns back, and that the process waits for before it exits (a 2-platform publication took about 80 ms longer on
 * 2 cores). So the baseline code is kept. Called before undici's first connection; Node warns that a flag set at
 * run time may be ignored, which would cost that time again, never a result.
 */
export function keepWasmOnBaselineCompiler(): void {
  for (const flag of ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering']) {
    setFlagsFromString(flag);
  }
}
