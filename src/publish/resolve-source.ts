import {
  isAttestationDescriptor,
  attestationSubject,
  parseManifest,
  platformFromConfig,
} from '../oci/manifest.js';
import type { Descriptor, ImageManifest, RawManifest } from '../oci/manifest.js';
import { formatPlatform } from '../oci/platform.js';
import { formatRepository, manifestIdentifier, sameRepository } from '../oci/reference.js';
import type { Reference, RepositoryName } from '../oci/reference.js';
import { isImageManifestMediaType, isIndexMediaType } from '../oci/media-types.js';
import type { RegistryApi } from '../registry/api.js';
import type { Logger } from '../registry/logger.js';
import type { Child } from './child.js';
import { PublishError } from './errors.js';
import { claimHolds } from './platform-claim.js';
import type { SourceSpec } from './request.js';

/** Image configs are small JSON documents; anything larger is not a config. */
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/**
 * Reads one `sources` entry and returns the index entries it contributes: one image for an image
 * manifest, every platform (and attestation) for an index, each proven from its config blob.
 */
export async function resolveSource(
  source: SourceSpec,
  targets: Reference[],
  registry: RegistryApi,
  logger: Logger,
): Promise<Child[]> {
  const { repo, identifier } = await locate(source, targets, registry);
  const raw = await registry.getManifest(repo, identifier);
  const parsed = parseManifest(raw, source.text);
  if (parsed.kind === 'image') {
    const child = await proveImage(source, repo, raw, parsed.manifest, registry);
    if (source.declared && !claimHolds(source.declared, child.platform)) {
      throw new PublishError(
        `source "${source.text}" is declared ${formatPlatform(source.declared)} but its config says it is ` +
          `${formatPlatform(child.platform)} (${raw.digest}); fix the source or its declared platform`,
      );
    }
    return [child];
  }
  return resolveIndex(source, repo, parsed.index.manifests, registry, logger);
}

/** Where the source's manifest is: its reference, or for a bare digest the first target repository holding it. */
async function locate(
  source: SourceSpec,
  targets: Reference[],
  registry: RegistryApi,
): Promise<{ repo: RepositoryName; identifier: string }> {
  if (source.kind === 'reference') {
    return { repo: source.reference, identifier: manifestIdentifier(source.reference) };
  }
  const repos = distinctRepositories(targets);
  const found = await Promise.all(repos.map((repo) => registry.headManifest(repo, source.digest)));
  const index = found.findIndex((info) => info !== undefined);
  const repo = repos[index];
  if (repo === undefined) {
    const names = repos.map(formatRepository).join(', ');
    throw new PublishError(
      `source "${source.text}": ${source.digest} is in none of the target repositories (${names}); ` +
        `a bare digest must have been pushed by digest to a target repository first`,
    );
  }
  return { repo, identifier: source.digest };
}

async function resolveIndex(
  source: SourceSpec,
  repo: RepositoryName,
  entries: Descriptor[],
  registry: RegistryApi,
  logger: Logger,
): Promise<Child[]> {
  const what = source.text;
  const usable = entries.filter((entry) => {
    if (isIndexMediaType(entry.mediaType)) {
      throw new PublishError(
        `source "${what}" nests an index (${entry.digest}); nested indexes are not supported`,
      );
    }
    if (isImageManifestMediaType(entry.mediaType)) return true;
    logger.warning(`source "${what}": skipping ${entry.digest}, of media type ${entry.mediaType}`);
    return false;
  });
  const children = await Promise.all(
    usable.map(async (entry) => {
      const raw = await registry.getManifest(repo, entry.digest);
      const parsed = parseManifest(raw, `${what} → ${entry.digest}`);
      if (parsed.kind !== 'image') {
        throw new PublishError(`source "${what}": entry ${entry.digest} is not an image manifest`);
      }
      return isAttestationDescriptor(entry)
        ? attestation(source, repo, entry, raw, parsed.manifest)
        : proveIndexEntry(source, repo, entry, raw, parsed.manifest, registry);
    }),
  );
  return selectDeclared(source, children);
}

/** A `PLATFORM=REF` entry whose REF is an index takes that one platform from it (and its attestations). */
function selectDeclared(source: SourceSpec, children: Child[]): Child[] {
  const declared = source.declared;
  if (declared === undefined) return children;
  const images = children.filter((child) => child.kind === 'image' && claimHolds(declared, child.platform));
  if (images.length === 0) {
    const present = children.filter((c) => c.kind === 'image').map((c) => formatPlatform(c.platform));
    throw new PublishError(
      `source "${source.text}" is declared ${formatPlatform(declared)} but that index has no such image; ` +
        `it has ${present.join(', ') || 'no images'}`,
    );
  }
  const kept = new Set(images.map((child) => child.descriptor.digest));
  return children.filter(
    (child) => kept.has(child.descriptor.digest) || (child.subject !== undefined && kept.has(child.subject)),
  );
}

async function proveIndexEntry(
  source: SourceSpec,
  repo: RepositoryName,
  entry: Descriptor,
  raw: RawManifest,
  manifest: ImageManifest,
  registry: RegistryApi,
): Promise<Child> {
  const child = await proveImage(source, repo, raw, manifest, registry);
  if (entry.platform !== undefined && !claimHolds(entry.platform, child.platform)) {
    throw new PublishError(
      `source "${source.text}": its index lists ${entry.digest} as ${formatPlatform(entry.platform)} but that ` +
        `image's config says it is ${formatPlatform(child.platform)}; the index is wrong, rebuild it`,
    );
  }
  // The index entry's own platform and annotations are kept as written; only their truth is checked.
  return { ...child, descriptor: { ...child.descriptor, ...definedFields(entry) } };
}

function definedFields(entry: Descriptor): Partial<Descriptor> {
  const fields: Partial<Descriptor> = {};
  if (entry.platform !== undefined) fields.platform = entry.platform;
  if (entry.annotations !== undefined) fields.annotations = entry.annotations;
  return fields;
}

async function proveImage(
  source: SourceSpec,
  repo: RepositoryName,
  raw: RawManifest,
  manifest: ImageManifest,
  registry: RegistryApi,
): Promise<Child> {
  const config = await registry.readBlob(repo, manifest.config, MAX_CONFIG_BYTES);
  const platform = platformFromConfig(config, `config of ${source.text} (${raw.digest})`);
  return {
    kind: 'image',
    descriptor: { mediaType: raw.mediaType, digest: raw.digest, size: raw.bytes.byteLength, platform },
    platform,
    from: repo,
    content: { raw, manifest },
    source: source.text,
  };
}

function attestation(
  source: SourceSpec,
  repo: RepositoryName,
  entry: Descriptor,
  raw: RawManifest,
  manifest: ImageManifest,
): Child {
  return {
    kind: 'attestation',
    descriptor: entry,
    platform: entry.platform ?? { os: 'unknown', architecture: 'unknown' },
    from: repo,
    content: { raw, manifest },
    source: source.text,
    subject: attestationSubject(entry),
  };
}

/** The target repositories in order, each once. */
export function distinctRepositories(targets: Reference[]): RepositoryName[] {
  const repos: RepositoryName[] = [];
  for (const target of targets) {
    if (!repos.some((repo) => sameRepository(repo, target))) {
      repos.push({ registry: target.registry, repository: target.repository });
    }
  }
  return repos;
}
