import { parsePlatform, platformKey, type Platform } from '../../oci/platform.js';
import type { DescriptorAnnotation } from '../../publish/request.js';
import { entryError, parseEntry } from './list.js';

/** The `annotations` input, sorted by where each line goes. */
export interface ParsedAnnotations {
  index: Record<string, string>;
  descriptors: DescriptorAnnotation[];
  /** Why lines were skipped or moved, one notice per level. */
  notices: string[];
}

// `level[,level…]:` before the key, each level optionally `[PLATFORM]`: buildx's syntax, which metadata-action writes.
const PREFIX = /^([A-Za-z-]+(?:\[[^\]]*\])?(?:,[A-Za-z-]+(?:\[[^\]]*\])?)*):(.*)$/;
const LEVEL = /^([A-Za-z-]+)(?:\[([^\]]*)\])?$/;
const APPLIED_LEVELS = ['index', 'manifest-descriptor'] as const;
const MANIFEST = 'manifest';
/** Levels that annotate something this action does not write, and why. */
const SKIPPED_LEVELS = new Map([
  [MANIFEST, 'image manifests are written by the build; annotate them there (docker/build-push-action)'],
  [
    'index-descriptor',
    'the index descriptor exists only in an OCI layout, and this action pushes to registries',
  ],
]);
const EXPECTED_LEVELS = `expected ${[...APPLIED_LEVELS, ...SKIPPED_LEVELS.keys()].join(', ')}`;

interface Level {
  name: string;
  platform?: Platform;
  /** Written out (`index:`), not the default of an unprefixed line. */
  explicit?: boolean;
}

interface Line {
  line: string;
  key: string;
  value: string;
}

/**
 * Parses `annotations` lines: `[LEVEL[,LEVEL…]:]key=value`, LEVEL being `index` (the default), `manifest-descriptor`
 * or `manifest-descriptor[PLATFORM]`. `manifest:` lines (docker/metadata-action's default level) go to the index
 * when no line says `index:`, under the keys the other lines leave unset, with a notice; otherwise they, and
 * `manifest[PLATFORM]:` and `index-descriptor:` lines, are skipped with a notice.
 * The same key twice with different values is an error.
 */
export function parseAnnotations(lines: string[], input = 'annotations'): ParsedAnnotations {
  const index: Record<string, string> = {};
  const descriptors = new Map<string, DescriptorAnnotation>();
  const skipped = new Map<string, string[]>();
  const manifestLines: Line[] = [];
  let explicitIndex = false;
  for (const line of lines) {
    const { levels, key, value } = parseLine(input, line);
    for (const level of levels) {
      if (level.name === MANIFEST && level.platform === undefined) {
        manifestLines.push({ line, key, value });
      } else if (SKIPPED_LEVELS.has(level.name)) {
        skipped.set(level.name, [...(skipped.get(level.name) ?? []), key]);
      } else if (level.name === 'index') {
        explicitIndex ||= level.explicit === true;
        if (level.platform) {
          throw entryError(input, line, 'index annotations apply to the whole index, not to a platform');
        }
        if (index[key] !== undefined && index[key] !== value) throw conflict(input, line, key, index[key]);
        index[key] = value;
      } else {
        const scope = level.platform ? platformKey(level.platform) : '*';
        const existing = descriptors.get(`${scope} ${key}`);
        if (existing && existing.value !== value) throw conflict(input, line, key, existing.value);
        descriptors.set(`${scope} ${key}`, {
          key,
          value,
          ...(level.platform && { platform: level.platform }),
        });
      }
    }
  }
  const notices: string[] = [];
  if (explicitIndex) {
    const keys = manifestLines.map(({ key }) => key);
    if (keys.length > 0) skipped.set(MANIFEST, [...keys, ...(skipped.get(MANIFEST) ?? [])]);
  } else if (manifestLines.length > 0) {
    notices.push(moveToIndex(input, manifestLines, index));
  }
  for (const [level, keys] of skipped) {
    notices.push(
      `${input}: skipped ${keys.length} ${level}: line(s) (${keys.join(', ')}): ${SKIPPED_LEVELS.get(level)}`,
    );
  }
  return { index, descriptors: [...descriptors.values()], notices };
}

/** Puts `manifest:` lines on the index, below the index lines already there; says so. */
function moveToIndex(input: string, lines: Line[], index: Record<string, string>): string {
  const moved: Record<string, string> = {};
  for (const { line, key, value } of lines) {
    if (moved[key] !== undefined && moved[key] !== value) throw conflict(input, line, key, moved[key]);
    moved[key] = value;
  }
  const keys = Object.keys(moved);
  for (const key of keys) index[key] ??= moved[key] ?? '';
  return (
    `${input}: applied ${keys.length} manifest: line(s) (${keys.join(', ')}) to the index instead: ` +
    'an image manifest cannot change without changing its digest, and no index: line was given'
  );
}

function parseLine(input: string, line: string): { levels: Level[]; key: string; value: string } {
  const equals = line.indexOf('=');
  if (equals === -1) {
    throw entryError(
      input,
      line,
      'expected [LEVEL:]key=value, e.g. "index:org.opencontainers.image.title=app"',
    );
  }
  const value = line.slice(equals + 1);
  const [, prefix, prefixedKey] = PREFIX.exec(line.slice(0, equals)) ?? [];
  const levels =
    prefix === undefined
      ? [{ name: 'index' }]
      : prefix.split(',').map((text) => parseLevel(input, line, text));
  const key = prefixedKey ?? line.slice(0, equals);
  if (key === '' || /\s/.test(key)) {
    throw entryError(
      input,
      line,
      `bad key "${key}": expected a non-empty key without spaces, e.g. "org.opencontainers.image.title"`,
    );
  }
  return { levels, key, value };
}

function parseLevel(input: string, line: string, text: string): Level {
  const [, name = '', platform] = LEVEL.exec(text) ?? [];
  if (!(APPLIED_LEVELS as readonly string[]).includes(name) && !SKIPPED_LEVELS.has(name)) {
    throw entryError(input, line, `unknown level "${name}": ${EXPECTED_LEVELS}`);
  }
  if (platform === undefined) return { name, explicit: true };
  return { name, explicit: true, platform: parseEntry(input, line, () => parsePlatform(platform)) };
}

function conflict(input: string, line: string, key: string, earlier: string): Error {
  return entryError(
    input,
    line,
    `"${key}" was already given the value "${earlier}"; give each key one value`,
  );
}
