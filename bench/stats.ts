export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function spreadOf(samples: readonly number[]): Spread | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const at = (index: number): number => sorted[index] ?? Number.NaN;
  const median = sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
  return { median, min: at(0), max: at(sorted.length - 1), n: sorted.length };
}

/** `1.23 s (1.10–1.40)`, or milliseconds below one second. */
export function formatSpread(spread: Spread | undefined): string {
  if (spread === undefined) return '–';
  const unit =
    spread.max >= 1000 ? { div: 1000, suffix: ' s', digits: 2 } : { div: 1, suffix: ' ms', digits: 0 };
  const show = (ms: number): string => (ms / unit.div).toFixed(unit.digits);
  return `${show(spread.median)}${unit.suffix} (${show(spread.min)}–${show(spread.max)})`;
}

export function formatMiB(kib: number | undefined): string {
  return kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`;
}
