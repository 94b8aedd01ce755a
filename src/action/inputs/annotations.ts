import { parsePlatform, platformKey, type Platform } from '../../oci/platform.js';
import type { DescriptorAnnotation } from '../../publish/request.js';
import { entryError, parseEntry } from './list.js';

/** The `annotations` input, sorted by where each line goes. */
export interface ParsedAnnotations {
  index: Record<string, string>;
  descriptors: DescriptorAnnotation[];
  /** Why lines were skipped, one notice per skipped level. */
  notices: string[];
}

const INPUT = 'annotations';
// `level[,level…]:` before the key, each level optionally `[PLATFORM]`: buildx's syntax, which metadata-action writes.
const PREFIX = /^([A-Za-z-]+(?:\[[^\]]*\])?(?:,[A-Za-z-]+(?:\[[^\]]*\])?)*):(.*)$/;
const LEVEL = /^([A-Za-z-]+)(?:\[([^\]]*)\])?$/;
const APPLIED_LEVELS = ['index', 'manifest-descriptor'] as const;
/** Levels that annotate something this action does not write, and why. */
const SKIPPED_LEVELS = new Map([
  ['manifest', 'image manifests are written by the build; annotate them there (docker/build-push-action)'],
  [
    'index-descriptor',
    'the index descriptor exists only in an OCI layout, and this action pushes to registries',
  ],
]);
const EXPECTED_LEVELS = `expected ${[...APPLIED_LEVELS, ...SKIPPED_LEVELS.keys()].join(', ')}`;

interface Level {
  name: string;
  platform?: Platform;
}

/**
 * Parses `annotations` lines: `[LEVEL[,LEVEL…]:]key=value`, LEVEL being `index` (the default), `manifest-descriptor`
 * or `manifest-descriptor[PLATFORM]`; `manifest:` and `index-descriptor:` lines are skipped with a notice.
 * The same key twice with different values is an error.
 */
export function parseAnnotations(lines: string[]): ParsedAnnotations {
  const index: Record<string, string> = {};
  const descriptors = new Map<string, DescriptorAnnotation>();
  const skipped = new Map<string, string[]>();
  for (const line of lines) {
    const { levels, key, value } = parseLine(line);
    for (const level of levels) {
      if (SKIPPED_LEVELS.has(level.name)) {
        skipped.set(level.name, [...(skipped.get(level.name) ?? []), key]);
      } else if (level.name === 'index') {
        if (level.platform) {
          throw entryError(INPUT, line, 'index annotations apply to the whole index, not to a platform');
        }
        if (index[key] !== undefined && index[key] !== value) throw conflict(line, key, index[key]);
        index[key] = value;
      } else {
        const scope = level.platform ? platformKey(level.platform) : '*';
        const existing = descriptors.get(`${scope} ${key}`);
        if (existing && existing.value !== value) throw conflict(line, key, existing.value);
        descriptors.set(`${scope} ${key}`, {
          key,
          value,
          ...(level.platform && { platform: level.platform }),
        });
      }
    }
  }
  const notices = [...skipped].map(
    ([level, keys]) =>
      `annotations: skipped ${keys.length} ${level}: line(s) (${keys.join(', ')}): ${SKIPPED_LEVELS.get(level)}`,
  );
  return { index, descriptors: [...descriptors.values()], notices };
}

function parseLine(line: string): { levels: Level[]; key: string; value: string } {
  const equals = line.indexOf('=');
  if (equals === -1) {
    throw entryError(
      INPUT,
      line,
      'expected [LEVEL:]key=value, e.g. "index:org.opencontainers.image.title=app"',
    );
  }
  const value = line.slice(equals + 1);
  const [, prefix, prefixedKey] = PREFIX.exec(line.slice(0, equals)) ?? [];
  const levels =
    prefix === undefined ? [{ name: 'index' }] : prefix.split(',').map((text) => parseLevel(line, text));
  const key = prefixedKey ?? line.slice(0, equals);
  if (key === '' || /\s/.test(key)) {
    throw entryError(
      INPUT,
      line,
      `bad key "${key}": expected a non-empty key without spaces, e.g. "org.opencontainers.image.title"`,
    );
  }
  return { levels, key, value };
}

function parseLevel(line: string, text: string): Level {
  const [, name = '', platform] = LEVEL.exec(text) ?? [];
  if (!(APPLIED_LEVELS as readonly string[]).includes(name) && !SKIPPED_LEVELS.has(name)) {
    throw entryError(INPUT, line, `unknown level "${name}": ${EXPECTED_LEVELS}`);
  }
  if (platform === undefined) return { name };
  return { name, platform: parseEntry(INPUT, line, () => parsePlatform(platform)) };
}

function conflict(line: string, key: string, earlier: string): Error {
  return entryError(
    INPUT,
    line,
    `"${key}" was already given the value "${earlier}"; give each key one value`,
  );
}
