import { parsePlatform, platformKey, type Platform } from '../oci/platform.js';
import type { IndexFormat, PublishRequest } from '../publish/request.js';
import { InputError, parseEntry } from './input-error.js';
import { parseLines, parseList } from './input-list.js';
import { parseAnnotations } from './parse-annotations.js';
import { parseBoolean, parseChoice } from './parse-choices.js';
import { parseRegistryHost } from './parse-registry-host.js';
import { parseSource } from './parse-sources.js';
import { parseTargets } from './parse-targets.js';
import type { RawInputs } from './raw-inputs.js';

/** The credentials inputs, as given ('' when unset); credentials.ts decides what they mean. */
export interface InputCredentials {
  username: string;
  password: string;
  githubToken: string;
}

/** Everything the inputs say, validated. */
export interface ParsedInputs {
  request: PublishRequest;
  insecureRegistries: string[];
  credentials: InputCredentials;
  /** Things worth telling the user that do not stop the run (skipped annotation lines). */
  notices: string[];
}

const FORMATS: readonly IndexFormat[] = ['auto', 'oci', 'docker'];
const ATTESTATIONS = ['keep', 'drop'] as const;
const REFERRERS = ['copy', 'skip'] as const;

/** Validates every input without touching the network; throws InputError naming the input and quoting the value. */
export function parseInputs(raw: RawInputs): ParsedInputs {
  const append = parseBoolean('append', raw.append, false);
  const sources = parseList(raw.sources).map(parseSource);
  if (sources.length === 0 && !append) {
    throw new InputError(
      'sources',
      'sources is empty: give at least one per-platform image (REF, PLATFORM=REF or sha256:<hex>), or set append: true',
    );
  }
  const format = parseChoice('format', raw.format, FORMATS, 'auto');
  const annotations = parseAnnotations(parseLines(raw.annotations));
  if (
    format === 'docker' &&
    (Object.keys(annotations.index).length > 0 || annotations.descriptors.length > 0)
  ) {
    throw new InputError(
      'format',
      'format docker cannot carry annotations: use format oci or auto, or drop the annotations',
    );
  }
  return {
    request: {
      sources,
      targets: parseTargets(parseList(raw.tags)),
      platforms: parsePlatforms(parseList(raw.platforms)),
      format,
      indexAnnotations: annotations.index,
      descriptorAnnotations: annotations.descriptors,
      attestations: parseChoice('attestations', raw.attestations, ATTESTATIONS, 'keep'),
      referrers: parseChoice('referrers', raw.referrers, REFERRERS, 'copy'),
      append,
      push: parseBoolean('push', raw.push, true),
    },
    insecureRegistries: parseList(raw['insecure-registries']).map(parseRegistryHost),
    credentials: { username: raw.username, password: raw.password, githubToken: raw['github-token'] },
    notices: annotations.notices,
  };
}

/** The `platforms` entries, parsed; the same platform twice (after normalization) counts once. */
function parsePlatforms(entries: string[]): Platform[] {
  const platforms = new Map<string, Platform>();
  for (const entry of entries) {
    const platform = parseEntry('platforms', entry, parsePlatform);
    if (!platforms.has(platformKey(platform))) platforms.set(platformKey(platform), platform);
  }
  return [...platforms.values()];
}
