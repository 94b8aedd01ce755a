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
import type { OciLayout } from '../layout/oci-layout.js';
import type { Child } from './child.js';
import { layoutOrigin, repositoryOrigin, type ContentOrigin } from './origin.js';
import { PublishError } from './errors.js';
import { claimHolds } from './platform-claim.js';
import type { SourceSpec } from './request.js';

/** Image configs are small JSON documents; anything larger is not a config. */
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/** What resolving a source needs besides the source. */
export interface ResolveContext {
  targets: Reference[];
  registry: RegistryApi;
  logger: Logger;
  /** Opens (once) the OCI layout at a path; the caller closes what it opened. */
  openLayout(path: string): Promise<OciLayout>;
}

/**
 * Reads one `sources` entry and returns the index entries it contributes: one image for an image
 * manifest, every platform (and attestation) for an index or a layout, each proven from its config blob.
 */
export async function resolveSource(source: SourceSpec, context: ResolveContext): Promise<Child[]> {
  const { origin, raw } = await locate(source, context);
  const parsed = parseManifest(raw, source.text);
  if (parsed.kind === 'image') {
    const child = await proveImage(source, origin, raw, parsed.manifest);
    if (source.declared && !claimHolds(source.declared, child.platform)) {
      throw new PublishError(
        `source "${source.text}" is declared ${formatPlatform(source.declared)} but its config says it is ` +
          `${formatPlatform(child.platform)} (${raw.digest}); fix the source or its declared platform`,
      );
    }
    return [child];
  }
  const entries =
    source.kind === 'layout'
      ? await layoutEntries(source, origin, parsed.index.manifests)
      : parsed.index.manifests;
  return resolveIndex(source, origin, entries, context.logger);
}

/** The source's top manifest and where it lives. */
async function locate(
  source: SourceSpec,
  context: ResolveContext,
): Promise<{ origin: ContentOrigin; raw: RawManifest }> {
  const { registry } = context;
  if (source.kind === 'layout') {
    const layout = await context.openLayout(source.path);
    return { origin: layoutOrigin(registry, layout), raw: await layout.index() };
  }
  if (source.kind === 'reference') {
    const origin = repositoryOrigin(registry, source.reference);
    return { origin, raw: await origin.getManifest(manifestIdentifier(source.reference)) };
  }
  const repos = distinctRepositories(context.targets);
  const found = await Promise.all(repos.map((repo) => registry.headManifest(repo, source.digest)));
  const repo = repos[found.findIndex((info) => info !== undefined)];
  if (repo === undefined) {
    const names = repos.map(formatRepository).join(', ');
    throw new PublishError(
      `source "${source.text}": ${source.digest} is in none of the target repositories (${names}); ` +
        `a bare digest must have been pushed by digest to a target repository first`,
    );
  }
  const origin = repositoryOrigin(registry, repo);
  return { origin, raw: await origin.getManifest(source.digest) };
}

/**
 * A layout's index.json is a list of what the layout holds, not an image: an index it lists (a
 * multi-platform build) contributes its entries instead.
 */
async function layoutEntries(
  source: SourceSpec,
  origin: ContentOrigin,
  entries: Descriptor[],
): Promise<Descriptor[]> {
  const expanded = await Promise.all(
    entries.map(async (entry) => {
      if (!isIndexMediaType(entry.mediaType)) return [entry];
      const parsed = parseManifest(
        await origin.getManifest(entry.digest),
        `${source.text} → ${entry.digest}`,
      );
      return parsed.kind === 'index' ? parsed.index.manifests : [entry];
    }),
  );
  return expanded.flat();
}

async function resolveIndex(
  source: SourceSpec,
  origin: ContentOrigin,
  entries: Descriptor[],
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
      const raw = await origin.getManifest(entry.digest);
      const parsed = parseManifest(raw, `${what} → ${entry.digest}`);
      if (parsed.kind !== 'image') {
        throw new PublishError(`source "${what}": entry ${entry.digest} is not an image manifest`);
      }
      return isAttestationDescriptor(entry)
        ? attestation(source, origin, entry, raw, parsed.manifest)
        : proveIndexEntry(source, origin, entry, raw, parsed.manifest);
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
    const container = source.kind === 'layout' ? 'layout' : 'index';
    throw new PublishError(
      `source "${source.text}" is declared ${formatPlatform(declared)} but that ${container} has no such ` +
        `image; it has ${present.join(', ') || 'no images'}`,
    );
  }
  const kept = new Set(images.map((child) => child.descriptor.digest));
  return children.filter(
    (child) => kept.has(child.descriptor.digest) || (child.subject !== undefined && kept.has(child.subject)),
  );
}

async function proveIndexEntry(
  source: SourceSpec,
  origin: ContentOrigin,
  entry: Descriptor,
  raw: RawManifest,
  manifest: ImageManifest,
): Promise<Child> {
  const child = await proveImage(source, origin, raw, manifest);
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
  origin: ContentOrigin,
  raw: RawManifest,
  manifest: ImageManifest,
): Promise<Child> {
  const config = await origin.readBlob(manifest.config, MAX_CONFIG_BYTES);
  const platform = platformFromConfig(config, `config of ${source.text} (${raw.digest})`);
  return {
    kind: 'image',
    descriptor: { mediaType: raw.mediaType, digest: raw.digest, size: raw.bytes.byteLength, platform },
    platform,
    from: origin,
    content: { raw, manifest },
    source: source.text,
  };
}

function attestation(
  source: SourceSpec,
  origin: ContentOrigin,
  entry: Descriptor,
  raw: RawManifest,
  manifest: ImageManifest,
): Child {
  return {
    kind: 'attestation',
    descriptor: entry,
    platform: entry.platform ?? { os: 'unknown', architecture: 'unknown' },
    from: origin,
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
