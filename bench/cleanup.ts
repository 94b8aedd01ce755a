// Everything the bench starts (registries, proxies, tool processes, temporary folders) registers how to stop it
// here, so a failure or Ctrl-C leaves nothing behind.
const tasks: Array<() => Promise<void> | void> = [];
let interrupted = false;

export class InterruptedError extends Error {}

/** Throws once a signal has asked the bench to stop, so no new work starts while it cleans up. */
export function throwIfInterrupted(): void {
  if (interrupted) throw new InterruptedError('interrupted');
}

/** Registers a stop action; actions run last-registered first. Returns a function that unregisters it. */
export function onCleanup(task: () => Promise<void> | void): () => void {
  tasks.push(task);
  return () => {
    const index = tasks.lastIndexOf(task);
    if (index >= 0) tasks.splice(index, 1);
  };
}

export async function cleanUp(): Promise<void> {
  for (let task = tasks.pop(); task !== undefined; task = tasks.pop()) {
    try {
      await task();
    } catch (error) {
      console.error(`bench: cleanup step failed: ${String(error)}`);
    }
  }
}

/** Ctrl-C or a kill: stop everything, then exit with the signal's conventional status. */
export function cleanUpOnSignals(): void {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`\nbench: ${signal}, stopping what was started`);
      void cleanUp().finally(() => process.exit(status));
    });
  }
}
