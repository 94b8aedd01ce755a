const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/**
 * A size as people read it, in decimal units as docker prints them: `512 B`, `12.3 MB`. The one formatter, so the
 * log and the job summary give the same bytes the same words.
 */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
