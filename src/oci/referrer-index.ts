import type { Digest } from './digest.js';
import { buildIndex, type BuiltIndex } from './index-builder.js';
import type { Descriptor, ImageIndex, ParsedManifest } from './manifest.js';
import { MediaType } from './media-types.js';

/** Cosign's tag suffixes: signatures, attestations and SBOMs, found by tag beside the image they describe. */
export const COSIGN_TAG_SUFFIXES = ['.sig', '.att', '.sbom'] as const;

/**
 * `sha256-<hex>`: the referrers tag (distribution-spec "Referrers Tag Schema"), where a registry without the
 * referrers API keeps an index of the manifests whose `subject` is `subject`.
 */
export function referrersTag(subject: Digest): string {
  return subject.replace(':', '-');
}

/** `sha256-<hex>.sig`, `.att`, `.sbom`: where cosign puts what it signs or attests about `subject`. */
export function cosignTags(subject: Digest): string[] {
  return COSIGN_TAG_SUFFIXES.map((suffix) => `${referrersTag(subject)}${suffix}`);
}

/** The digest a manifest names as its `subject`, if any. */
export function subjectOf(parsed: ParsedManifest): Digest | undefined {
  return (parsed.kind === 'index' ? parsed.index : parsed.manifest).subject?.digest;
}

/**
 * The descriptor that lists `parsed` in a referrers index, as the spec fills it: `artifactType` is the manifest's,
 * else its config's media type; the manifest's annotations are copied.
 */
export function referrerDescriptor(parsed: ParsedManifest): Descriptor {
  const { mediaType, digest, bytes } = parsed.raw;
  const body = parsed.kind === 'index' ? parsed.index : parsed.manifest;
  const artifactType =
    body.artifactType ?? (parsed.kind === 'image' ? parsed.manifest.config.mediaType : undefined);
  return {
    mediaType,
    digest,
    size: bytes.byteLength,
    ...(artifactType === undefined ? {} : { artifactType }),
    ...(body.annotations === undefined ? {} : { annotations: body.annotations }),
  };
}

/**
 * The referrers index `existing` (or a new one) with the descriptors of `added` it does not list yet, appended in
 * digest order so that the same referrers always give the same bytes; undefined when it lists them all already.
 */
export function withReferrers(existing: ImageIndex | undefined, added: Descriptor[]): BuiltIndex | undefined {
  const listed = new Set((existing?.manifests ?? []).map((d) => d.digest));
  const missing = added
    .filter((d, i) => !listed.has(d.digest) && added.findIndex((o) => o.digest === d.digest) === i)
    .sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  if (missing.length === 0) return undefined;
  return buildIndex({
    mediaType: MediaType.OciIndex,
    manifests: [...(existing?.manifests ?? []), ...missing],
    ...(existing?.annotations === undefined ? {} : { annotations: existing.annotations }),
  });
}
