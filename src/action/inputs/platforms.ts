import { parsePlatform, platformKey, type Platform } from '../../oci/platform.js';
import { parseEntry } from './list.js';

/** The `platforms` entries, parsed; the same platform twice (after normalization) counts once. */
export function parsePlatforms(entries: string[]): Platform[] {
  const platforms = new Map<string, Platform>();
  for (const entry of entries) {
    const platform = parseEntry('platforms', entry, parsePlatform);
    if (!platforms.has(platformKey(platform))) platforms.set(platformKey(platform), platform);
  }
  return [...platforms.values()];
}
