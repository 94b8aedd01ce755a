import * as core from '@actions/core';
import type { IndexFormat, PublishRequest } from '../publish/request.js';
import { normalizeRegistry } from '../oci/reference.js';
import { DIGESTS_PREFIX, readDigestDir } from './digest-dir.js';
import { InputError } from './input-error.js';
import { parseAnnotations, type ParsedAnnotations } from './inputs/annotations.js';
import { parseBoolean, parseChoice } from './inputs/choices.js';
import { parseDuration } from './inputs/duration.js';
import { parseLines, parseList } from './inputs/list.js';
import { metadataAnnotationLines, parseMetadata } from './inputs/metadata.js';
import { parsePlatforms } from './inputs/platforms.js';
import { parseRegistryHost } from './inputs/registry-host.js';
import { parseSources } from './inputs/sources.js';
import { parseTargets } from './inputs/targets.js';
import { writtenCredentials } from './inputs/userinfo.js';
import { maskSecret } from './log.js';

/** The action's inputs, named exactly as in action.yml. */
export const INPUT_NAMES = [
  'sources',
  'tags',
  'platforms',
  'format',
  'annotations',
  'attestations',
  'referrers',
  'prove',
  'append',
  'push',
  'timeout',
  'insecure-registries',
  'registry',
  'username',
  'password',
  'github-token',
  'metadata',
  'context-annotations',
] as const;

export type InputName = (typeof INPUT_NAMES)[number];

/** Every input as the runner hands it over: trimmed text, '' when unset. */
export type RawInputs = Record<InputName, string>;

/** The credentials inputs, as given ('' when unset); credentials.ts decides what they mean. */
export interface InputCredentials {
  /** The one registry username and password are for, normalized (`docker.io`); '' for the default. */
  registry: string;
  username: string;
  password: string;
  githubToken: string;
}

/** Everything the inputs say, validated. */
export interface ParsedInputs {
  request: PublishRequest;
  insecureRegistries: string[];
  credentials: InputCredentials;
  /** The whole run's bound, from `timeout` (default 10 minutes), and as the user wrote it. */
  timeout: { ms: number; text: string };
  /** Things worth telling the user that do not stop the run (skipped annotation lines). */
  notices: string[];
  /** Whether the index gets the run's repository and commit as annotations (`context-annotations`). */
  contextAnnotations: boolean;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const FORMATS: readonly IndexFormat[] = ['auto', 'oci', 'docker'];
const ATTESTATIONS = ['keep', 'drop'] as const;
const REFERRERS = ['copy', 'skip'] as const;
const PROOFS = ['binaries', 'config'] as const;

/** Reads every input from the runner and validates it, before any network request; throws InputError. */
export function getInputs(): ParsedInputs {
  const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, core.getInput(name)])) as RawInputs;
  // Before anything can quote them: credentials pasted into a reference or a host.
  for (const name of ['sources', 'tags', 'insecure-registries'] as const) {
    writtenCredentials(raw[name]).forEach(maskSecret);
  }
  return parseInputs(raw);
}

/** Validates every input without touching the network; throws InputError naming the input and quoting the value. */
export function parseInputs(raw: RawInputs): ParsedInputs {
  const append = parseBoolean('append', raw.append, false);
  const push = parseBoolean('push', raw.push, true);
  const platforms = parsePlatforms(parseList(raw.platforms));
  const notices: string[] = [];
  const sources = parseList(raw.sources).flatMap((entry) => {
    if (!entry.startsWith(DIGESTS_PREFIX)) return parseSources(entry, platforms);
    const read = readDigestDir(entry);
    notices.push(...read.notices);
    return read.sources;
  });
  if (sources.length === 0 && !append) {
    throw new InputError(
      'sources',
      'sources is empty: give at least one per-platform image (REF, PLATFORM=REF or sha256:<hex>), or set append: true',
    );
  }
  const format = parseChoice('format', raw.format, FORMATS, 'auto');
  const given = parseAnnotations(parseLines(raw.annotations));
  const metadata = parseMetadata(raw.metadata);
  const annotations = withMetadata(
    given,
    metadata && parseAnnotations(metadataAnnotationLines(metadata), 'metadata'),
    format,
  );
  if (
    format === 'docker' &&
    (Object.keys(annotations.index).length > 0 || annotations.descriptors.length > 0)
  ) {
    throw new InputError(
      'format',
      'format docker cannot carry annotations: use format oci or auto, or drop the annotations',
    );
  }
  const tags = parseList(raw.tags);
  const targets = tags.length > 0 ? tags : (metadata?.tags ?? []);
  return {
    request: {
      sources,
      // No tags with push: false is verify mode: the sources are checked as they stand.
      targets: targets.length === 0 && !push ? [] : parseTargets(targets),
      platforms,
      format,
      indexAnnotations: annotations.index,
      descriptorAnnotations: annotations.descriptors,
      attestations: parseChoice('attestations', raw.attestations, ATTESTATIONS, 'keep'),
      referrers: parseChoice('referrers', raw.referrers, REFERRERS, 'copy'),
      append,
      push,
      prove: parseChoice('prove', raw.prove, PROOFS, 'binaries'),
    },
    timeout: { ms: parseDuration('timeout', raw.timeout, DEFAULT_TIMEOUT_MS), text: raw.timeout || '10m' },
    insecureRegistries: parseList(raw['insecure-registries']).map((entry) => parseRegistryHost(entry)),
    credentials: {
      registry: raw.registry === '' ? '' : normalizeRegistry(parseRegistryHost(raw.registry, 'registry')),
      username: raw.username,
      password: raw.password,
      githubToken: raw['github-token'],
    },
    notices: [...notices, ...annotations.notices],
    contextAnnotations: parseBoolean('context-annotations', raw['context-annotations'], true),
  };
}

/**
 * The `annotations` input over the metadata's: the input's lines win key by key. With format docker the metadata's
 * are left out (with a notice), as they only come along with its tags.
 */
function withMetadata(
  given: ParsedAnnotations,
  metadata: ParsedAnnotations | undefined,
  format: IndexFormat,
): ParsedAnnotations {
  if (metadata === undefined) return given;
  const count = Object.keys(metadata.index).length + metadata.descriptors.length;
  if (format === 'docker') {
    const skipped =
      count === 0 ? [] : [`metadata: skipped its ${count} annotation(s): format docker has none`];
    return { ...given, notices: [...skipped, ...given.notices] };
  }
  return {
    index: { ...metadata.index, ...given.index },
    descriptors: [...metadata.descriptors, ...given.descriptors],
    notices: [...metadata.notices, ...given.notices],
  };
}
