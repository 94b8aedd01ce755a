import { InvalidPlatformError } from './oci-error.js';
import { misspeltPlatform } from './platform-names.js';

/** An image platform, with the field names of the OCI/Docker JSON. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

// containerd/platforms specifier grammar: <os>[(<osversion>[+<feature>…])]/<arch>[/<variant>].
const OS_PART = /^([a-z0-9_-]+)(?:\(([a-z0-9_.-]*)((?:\+[a-z0-9_.-]+)*)\))?$/i;
const SPECIFIER_PART = /^[a-z0-9_.-]+$/i;
const EXPECTED = 'expected os/architecture[/variant], e.g. "linux/amd64" or "linux/arm/v7"';

/** Parses `os[(os.version[+feature…])]/architecture[/variant]`, lowercasing os, architecture and variant. */
export function parsePlatform(text: string): Platform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3) {
    const why = parts.length < 2 ? 'no architecture' : 'too many "/"-separated parts';
    throw new InvalidPlatformError(`invalid platform "${text}": ${why}, ${EXPECTED}`);
  }
  const [osPart = '', architecture = '', variant] = parts;
  const osMatch = OS_PART.exec(osPart);
  if (!osMatch) throw new InvalidPlatformError(`invalid platform "${text}": bad os "${osPart}", ${EXPECTED}`);
  for (const [field, value] of [
    ['architecture', architecture],
    ['variant', variant],
  ] as const) {
    if (value !== undefined && !SPECIFIER_PART.test(value)) {
      throw new InvalidPlatformError(`invalid platform "${text}": bad ${field} "${value}", ${EXPECTED}`);
    }
  }
  const [, os = '', osVersion, featureList] = osMatch;
  const features = featureList ? featureList.slice(1).split('+') : [];
  const misspelt = misspeltPlatform(os.toLowerCase(), architecture.toLowerCase(), variant?.toLowerCase());
  if (misspelt !== undefined) throw new InvalidPlatformError(`invalid platform "${text}": ${misspelt}`);
  return {
    os: os.toLowerCase(),
    architecture: architecture.toLowerCase(),
    ...(variant !== undefined && { variant: variant.toLowerCase() }),
    ...(osVersion && { 'os.version': osVersion }),
    ...(features.length > 0 && { 'os.features': features }),
  };
}

/** The canonical form used for comparison (containerd normalization); never written into manifests. */
export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase();
  const [architecture, variant] = normalizeArchitecture(
    p.architecture.toLowerCase(),
    p.variant?.toLowerCase() ?? '',
  );
  const features = [...new Set(p['os.features'] ?? [])].sort();
  return {
    os: os === 'macos' ? 'darwin' : os,
    architecture,
    ...(variant && { variant }),
    ...(p['os.version'] && { 'os.version': p['os.version'] }),
    ...(features.length > 0 && { 'os.features': features }),
  };
}

function normalizeArchitecture(architecture: string, variant: string): [string, string] {
  switch (architecture) {
    case 'i386':
    case 'i686':
      return ['386', ''];
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return ['amd64', variant === 'v1' ? '' : variant];
    case 'aarch64':
    case 'arm64':
      return ['arm64', arm64Variant(variant)];
    case 'armhf':
      return ['arm', 'v7'];
    case 'armel':
      return ['arm', 'v6'];
    case 'arm':
      return ['arm', armVariant(variant)];
    default:
      return [architecture, variant];
  }
}

function arm64Variant(variant: string): string {
  if (['8', 'v8', 'v8.0'].includes(variant)) return '';
  if (['9', '9.0', 'v9.0'].includes(variant)) return 'v9';
  return variant;
}

function armVariant(variant: string): string {
  if (variant === '' || variant === '7') return 'v7';
  return ['5', '6', '8'].includes(variant) ? `v${variant}` : variant;
}

/** `os/architecture[/variant]` exactly as given (no normalization, no os.version). */
export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * Identity of a platform, and its one spelling shown to users (log, summary, outputs): the normalized
 * `os[(os.version)]/architecture[/variant]` in containerd's syntax, e.g. `linux/arm64`, `windows(10.0.17763)/amd64`.
 * os.version is part of identity; os.features are not (they describe requirements, not a different target).
 */
export function platformKey(p: Platform): string {
  const n = normalizePlatform(p);
  const os = n['os.version'] ? `${n.os}(${n['os.version']})` : n.os;
  return formatPlatform({ ...n, os });
}

/**
 * Whether `actual` (what a config or descriptor says) is the platform `wanted` (as a user writes it: a `platforms`
 * entry, a `PLATFORM=REF` declaration, a template, a descriptor's claim). os, architecture and variant compare
 * normalized. os.version only when `wanted` gives one, matched on the dot-separated components it gives:
 * `windows(10.0.17763)/amd64` matches 10.0.17763.5830 but not 10.0.177630 or 10.0.20348. os.features `wanted`
 * lists must all be there.
 */
export function platformMatches(wanted: Platform, actual: Platform): boolean {
  const w = normalizePlatform(wanted);
  const a = normalizePlatform(actual);
  if (w.os !== a.os || w.architecture !== a.architecture || (w.variant ?? '') !== (a.variant ?? '')) {
    return false;
  }
  const features = a['os.features'] ?? [];
  return (
    versionCovers(w['os.version'], a['os.version']) &&
    (w['os.features'] ?? []).every((feature) => features.includes(feature))
  );
}

function versionCovers(wanted: string | undefined, actual: string | undefined): boolean {
  if (wanted === undefined) return true;
  return actual === wanted || (actual?.startsWith(`${wanted}.`) ?? false);
}

/** True for `unknown/unknown`, the platform BuildKit gives attestation manifests. */
export function isUnknownPlatform(p: Platform | undefined): boolean {
  return p?.os.toLowerCase() === 'unknown' && p.architecture.toLowerCase() === 'unknown';
}

const MAX_FIELD_LENGTH = 64;
const MAX_FEATURES = 16;
// Values the image spec gives (GOOS, GOARCH, v7, 10.0.17763.5458, win32k): printable, no space, no markup.
const FIELD = /^[A-Za-z0-9_.-]*$/;

/**
 * What is wrong with a platform read from a registry or a file, or undefined when every field follows the
 * grammar and its bounds; checked before a field is logged, shown or written into an index.
 */
export function platformProblem(p: Platform): string | undefined {
  const features = p['os.features'] ?? [];
  if (features.length > MAX_FEATURES) {
    return `"os.features" lists ${features.length} features, more than ${MAX_FEATURES}`;
  }
  const fields: Array<[string, string | undefined, boolean]> = [
    ['os', p.os, true],
    ['architecture', p.architecture, true],
    ['variant', p.variant, false],
    ['os.version', p['os.version'], false],
    ...features.map((feature): [string, string, boolean] => ['os.features', feature, true]),
  ];
  for (const [field, value, required] of fields) {
    if (value === undefined) continue;
    if (required && value === '') return `"${field}" is empty`;
    if (value.length > MAX_FIELD_LENGTH || !FIELD.test(value)) {
      return `"${field}" must be at most ${MAX_FIELD_LENGTH} of A-Z a-z 0-9 _ . -, got ${quoteBounded(value)}`;
    }
  }
  return undefined;
}

// Quoted, with anything outside printable ASCII as a \u escape, and cut, so a bad value can neither flood nor
// hide in a message.
function quoteBounded(value: string): string {
  const cut = value.slice(0, MAX_FIELD_LENGTH);
  const quoted = `"${cut.replace(/[^\x20-\x7e]|["\\]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
  return value.length > MAX_FIELD_LENGTH ? `${quoted}… (${value.length} characters)` : quoted;
}
