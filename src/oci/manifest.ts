import { type Digest, isDigest, parseDigest } from './digest.js';
import { InvalidManifestError, InvalidPlatformError, UnsupportedMediaTypeError } from './oci-error.js';
import {
  type Fail,
  type JsonObject,
  asObject,
  fieldLabel,
  optionalObject,
  optionalString,
  optionalStringArray,
  optionalStringMap,
  parseJsonObject,
  requiredArray,
  requiredObject,
  requiredString,
  show,
} from './json-fields.js';
import {
  MANIFEST_MEDIA_TYPES,
  isImageManifestMediaType,
  isIndexMediaType,
  isSchema1MediaType,
  stripMediaTypeParameters,
} from './media-types.js';
import { platformProblem, type Platform } from './platform.js';

/** A content descriptor (image-spec descriptor.md); `platform` only on index entries. */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  data?: string;
  platform?: Platform;
  artifactType?: string;
}

/** An OCI image manifest or Docker schema 2 manifest (image-spec manifest.md). */
export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** An OCI image index or Docker manifest list (image-spec image-index.md). */
export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** A manifest as stored: exact bytes, the media type it is served/pushed with, the sha256 of those bytes. */
export interface RawManifest {
  mediaType: string;
  bytes: Uint8Array;
  digest: Digest;
}

/** A validated manifest together with the raw bytes it came from. */
export type ParsedManifest =
  | { kind: 'index'; raw: RawManifest; index: ImageIndex }
  | { kind: 'image'; raw: RawManifest; manifest: ImageManifest };

/** The platform recorded in an image config blob. */
export type ImageConfigPlatform = Platform;

/** Descriptor annotation that marks a BuildKit attestation manifest (value `attestation-manifest`). */
export const ATTESTATION_REFERENCE_TYPE = 'vnd.docker.reference.type';
/** Descriptor annotation holding the digest of the image an attestation manifest describes. */
export const ATTESTATION_REFERENCE_DIGEST = 'vnd.docker.reference.digest';
/** The `vnd.docker.reference.type` value of attestation manifests. */
export const ATTESTATION_MANIFEST = 'attestation-manifest';

/**
 * Validates a manifest served or stored as `raw.mediaType`; `what` names its source in messages.
 * Throws UnsupportedMediaTypeError for schema 1 and unknown types, InvalidManifestError for malformed content.
 */
export function parseManifest(raw: RawManifest, what: string): ParsedManifest {
  const mediaType = stripMediaTypeParameters(raw.mediaType);
  if (isSchema1MediaType(mediaType)) {
    throw new UnsupportedMediaTypeError(
      `${what} is a Docker schema 1 manifest ("${mediaType}"), which cannot be part of a manifest list or index; ` +
        'rebuild/re-push it with a current client (Docker 1.10 or later, buildx, podman) to get a schema 2 or OCI manifest',
    );
  }
  const isIndex = isIndexMediaType(mediaType);
  if (!isIndex && !isImageManifestMediaType(mediaType)) {
    throw new UnsupportedMediaTypeError(
      `${what} has unsupported media type "${mediaType}": expected one of ${MANIFEST_MEDIA_TYPES.join(', ')}`,
    );
  }
  const fail: Fail = (problem, cause) => {
    throw new InvalidManifestError(`invalid manifest ${what}: ${problem}`, { cause });
  };
  const doc = parseJsonObject(raw.bytes, fail);
  if (doc.schemaVersion !== 2) fail(`"schemaVersion" must be 2, got ${show(doc.schemaVersion)}`);
  const declared = optionalString(doc, 'mediaType', '', fail);
  if (declared !== undefined && declared !== mediaType) {
    fail(`its "mediaType" field is "${declared}" but it is served as "${mediaType}"`);
  }
  const subject = optionalObject(doc, 'subject', '', fail);
  const common = {
    schemaVersion: 2 as const,
    ...defined('mediaType', declared),
    ...defined('artifactType', optionalString(doc, 'artifactType', '', fail)),
  };
  const trailing = {
    ...defined('subject', subject && readDescriptor(subject, 'subject', fail)),
    ...defined('annotations', optionalStringMap(doc, 'annotations', '', fail)),
  };
  if (isIndex) {
    return {
      kind: 'index',
      raw,
      index: { ...common, manifests: readDescriptors(doc, 'manifests', fail), ...trailing },
    };
  }
  const config = readDescriptor(requiredObject(doc, 'config', '', fail), 'config', fail);
  const manifest = { ...common, config, layers: readDescriptors(doc, 'layers', fail), ...trailing };
  return { kind: 'image', raw, manifest };
}

/**
 * Layers or children per manifest. Distribution sets no cap; real images stay far below (overlay mounts limit
 * an image to about a hundred layers), so anything past this is a hostile or broken manifest.
 */
export const MAX_DESCRIPTORS = 10_000;

function readDescriptors(doc: JsonObject, key: string, fail: Fail): Descriptor[] {
  const items = requiredArray(doc, key, '', fail);
  if (items.length > MAX_DESCRIPTORS) {
    fail(`"${key}" has ${items.length} entries, more than the ${MAX_DESCRIPTORS} any real image has`);
  }
  return items.map((item, i) => {
    const label = `${key}[${i}]`;
    return readDescriptor(asObject(item, `"${label}"`, fail), label, fail);
  });
}

function readDescriptor(obj: JsonObject, label: string, fail: Fail): Descriptor {
  const mediaType = requiredString(obj, 'mediaType', label, fail);
  const digestText = requiredString(obj, 'digest', label, fail);
  let digest: Digest;
  try {
    digest = parseDigest(digestText);
  } catch (error) {
    return fail(`"${fieldLabel(label, 'digest')}": ${(error as Error).message}`, error);
  }
  const size = obj.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    return fail(`"${fieldLabel(label, 'size')}" must be a non-negative integer, got ${show(size)}`);
  }
  const platform = optionalObject(obj, 'platform', label, fail);
  return {
    mediaType,
    digest,
    size,
    ...defined('urls', optionalStringArray(obj, 'urls', label, fail)),
    ...defined('annotations', optionalStringMap(obj, 'annotations', label, fail)),
    ...defined('data', optionalString(obj, 'data', label, fail)),
    ...defined('platform', platform && readPlatform(platform, fieldLabel(label, 'platform'), fail)),
    ...defined('artifactType', optionalString(obj, 'artifactType', label, fail)),
  };
}

/** The platform fields of a descriptor or config, checked against the grammar before anything shows them. */
function readPlatform(obj: JsonObject, label: string, fail: Fail): Platform {
  const platform = {
    os: requiredString(obj, 'os', label, fail),
    architecture: requiredString(obj, 'architecture', label, fail),
    ...defined('variant', optionalString(obj, 'variant', label, fail)),
    ...defined('os.version', optionalString(obj, 'os.version', label, fail)),
    ...defined('os.features', optionalStringArray(obj, 'os.features', label, fail)),
  };
  const problem = platformProblem(platform);
  return problem === undefined ? platform : fail(label === '' ? problem : `in "${label}": ${problem}`);
}

// `{ key: value }`, or `{}` when value is undefined, so absent fields stay absent.
function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/** Reads os, architecture, variant, os.version and os.features from an image config blob. */
export function platformFromConfig(bytes: Uint8Array, what: string): ImageConfigPlatform {
  const fail: Fail = (problem, cause) => {
    throw new InvalidPlatformError(
      `failed to read the platform of ${what} from its image config: ${problem}`,
      {
        cause,
      },
    );
  };
  return readPlatform(parseJsonObject(bytes, fail), '', fail);
}

/** True for a BuildKit attestation manifest entry (never a runnable platform). */
export function isAttestationDescriptor(d: Descriptor): boolean {
  return d.annotations?.[ATTESTATION_REFERENCE_TYPE] === ATTESTATION_MANIFEST;
}

/** The digest of the image an attestation entry describes, if it is one and names a valid digest. */
export function attestationSubject(d: Descriptor): Digest | undefined {
  const subject = d.annotations?.[ATTESTATION_REFERENCE_DIGEST];
  return isAttestationDescriptor(d) && subject !== undefined && isDigest(subject) ? subject : undefined;
}
