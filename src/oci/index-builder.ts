import { sha256Digest } from './digest.js';
import { IndexBuildError } from './oci-error.js';
import { type Descriptor, type RawManifest, isAttestationDescriptor } from './manifest.js';
import { MediaType, isDockerMediaType } from './media-types.js';
import { type OrderedJson, type OrderedObject, stringifyOrdered } from './ordered-json.js';
import { type Platform, formatPlatform } from './platform.js';

/** What goes into an index: its media type, the children in order, index-level annotations. */
export interface IndexSpec {
  mediaType: typeof MediaType.OciIndex | typeof MediaType.DockerManifestList;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

/** Serialized index bytes ready to push, with their digest and byte size. */
export interface BuiltIndex extends RawManifest {
  size: number;
}

/** Registries reject manifest bodies over 4 MiB (distribution: 400 MANIFEST_INVALID). */
export const MAX_INDEX_BYTES = 4 * 1024 * 1024;

const utf8 = new TextEncoder();

/**
 * Serializes an index deterministically: fixed key order, sorted annotation keys, children in input order
 * with attestations moved last, empty optional fields dropped, 2-space JSON without trailing newline.
 * Throws IndexBuildError for what the chosen media type cannot hold.
 */
export function buildIndex(spec: IndexSpec): BuiltIndex {
  if (spec.mediaType === MediaType.DockerManifestList) checkDockerList(spec);
  checkUniqueDigests(spec.manifests);
  const images = spec.manifests.filter((d) => !isAttestationDescriptor(d));
  const attestations = spec.manifests.filter(isAttestationDescriptor);
  const index = object(
    [
      ['schemaVersion', 2],
      ['mediaType', spec.mediaType],
      ['manifests', [...images, ...attestations].map(descriptorJson)],
    ],
    [['annotations', annotationsJson(spec.annotations)]],
  );
  const bytes = utf8.encode(stringifyOrdered(index));
  if (bytes.length > MAX_INDEX_BYTES) {
    throw new IndexBuildError(
      `failed to build index: it is ${bytes.length} bytes, registries accept at most ${MAX_INDEX_BYTES} (4 MiB); ` +
        'use fewer children or shorter annotations',
    );
  }
  return { mediaType: spec.mediaType, bytes, digest: sha256Digest(bytes), size: bytes.length };
}

function checkDockerList(spec: IndexSpec): void {
  const fail = (why: string): never => {
    throw new IndexBuildError(
      `failed to build Docker manifest list: ${why}; use the OCI index format instead`,
    );
  };
  if (hasEntries(spec.annotations)) fail('a Docker manifest list cannot carry index annotations');
  for (const d of spec.manifests) {
    if (!isDockerMediaType(d.mediaType)) {
      fail(`child ${describe(d)} has the non-Docker media type "${d.mediaType}"`);
    }
    if (hasEntries(d.annotations)) {
      fail(`child ${describe(d)} has annotations, which a Docker manifest list cannot carry`);
    }
    if (!d.platform) {
      fail(`child ${describe(d)} has no platform, which every Docker manifest list entry needs`);
    }
  }
}

function checkUniqueDigests(manifests: Descriptor[]): void {
  const seen = new Set<string>();
  for (const d of manifests) {
    if (seen.has(d.digest)) {
      throw new IndexBuildError(
        `failed to build index: child ${describe(d)} is listed twice; each digest may appear once`,
      );
    }
    seen.add(d.digest);
  }
}

function describe(d: Descriptor): string {
  return d.platform ? `${d.digest} (${formatPlatform(d.platform)})` : d.digest;
}

function descriptorJson(d: Descriptor): OrderedJson {
  return object(
    [
      ['mediaType', d.mediaType],
      ['digest', d.digest],
      ['size', d.size],
    ],
    [
      ['urls', d.urls],
      ['annotations', annotationsJson(d.annotations)],
      ['data', d.data],
      ['platform', d.platform && platformJson(d.platform)],
      ['artifactType', d.artifactType],
    ],
  );
}

function platformJson(p: Platform): OrderedJson {
  return object(
    [
      ['architecture', p.architecture],
      ['os', p.os],
    ],
    [
      ['os.version', p['os.version']],
      ['os.features', p['os.features']],
      ['variant', p.variant],
    ],
  );
}

function annotationsJson(map: Record<string, string> | undefined): OrderedJson {
  // Code-unit order, not localeCompare: the bytes must not depend on the runner's locale.
  const entries = Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { entries };
}

function hasEntries(map: Record<string, string> | undefined): boolean {
  return map !== undefined && Object.keys(map).length > 0;
}

// Required entries, then the optional ones that are not empty (undefined, "", [], {}), in the order given.
function object(
  required: [string, OrderedJson][],
  optional: [string, OrderedJson | undefined][],
): OrderedObject {
  const present = optional.filter((entry): entry is [string, OrderedJson] => !isEmpty(entry[1]));
  return { entries: [...required, ...present] };
}

function isEmpty(value: OrderedJson | undefined): boolean {
  if (value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value.entries.length === 0;
}
