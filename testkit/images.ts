import { createCipheriv, createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sha256Digest } from './digest.js';
import { jsonBytes } from './json.js';
import { MEDIA_TYPES } from './media-types.js';
import type { RawRegistry } from './raw-registry.js';
import { tarWithOneFile } from './tar.js';

export type ImageFormat = 'oci' | 'docker';

export interface SeededPlatform {
  os: string;
  architecture: string;
  variant?: string;
  osVersion?: string;
}

/** An image manifest the harness pushed, with everything a test needs to check a copy of it. */
export interface SeededImage {
  repo: string;
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
  size: number;
  configDigest: string;
  layerDigests: string[];
  /** What the config blob says. */
  platform: SeededPlatform;
}

/** An index (or Docker manifest list) the harness pushed. */
export interface SeededIndex {
  repo: string;
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
  size: number;
  /** The image manifests it lists, in order. */
  children: SeededImage[];
}

export interface SeedImageOptions {
  repo: string;
  tag?: string;
  os?: string;
  architecture: string;
  variant?: string;
  osVersion?: string;
  format?: ImageFormat;
  /** Size of the file inside the layer (default: just the platform line); filler is incompressible. */
  layerBytes?: number;
  /** Mixed into the layer so otherwise equal images get different digests. */
  salt?: string;
  /** A program for the layer, as `/hello` (mode 0755, the entrypoint), instead of the platform text file. */
  executable?: Uint8Array;
  /**
   * A Windows-style base layer first: a foreign (nondistributable) descriptor with `urls`, never uploaded, as
   * Microsoft's base images have; registries accept the manifest without the blob.
   */
  foreignBaseLayer?: boolean;
}

export interface SeedIndexOptions {
  repo: string;
  tag?: string;
  format?: ImageFormat;
  /** Must already be in `repo`: the registry refuses an index whose children it does not hold. */
  children: readonly SeededImage[];
  /**
   * Descriptor platforms: the children's true ones, or one entry per child to state something else (a lie, for
   * negative tests); null leaves the descriptor without a platform.
   */
  platforms?: 'fromChildren' | ReadonlyArray<SeededPlatform | null>;
}

export interface SeedBuildxIndexOptions {
  repo: string;
  tag?: string;
  images: ReadonlyArray<{ architecture: string; os?: string; variant?: string }>;
  salt?: string;
}

const FORMATS = {
  oci: {
    manifest: MEDIA_TYPES.ociManifest,
    index: MEDIA_TYPES.ociIndex,
    config: MEDIA_TYPES.ociConfig,
    layer: MEDIA_TYPES.ociLayerGzip,
    foreignLayer: MEDIA_TYPES.ociNondistributableLayerGzip,
  },
  docker: {
    manifest: MEDIA_TYPES.dockerManifest,
    index: MEDIA_TYPES.dockerManifestList,
    config: MEDIA_TYPES.dockerConfig,
    layer: MEDIA_TYPES.dockerLayerGzip,
    foreignLayer: MEDIA_TYPES.dockerForeignLayerGzip,
  },
} as const;

const UNKNOWN_PLATFORM: SeededPlatform = { os: 'unknown', architecture: 'unknown' };

/** What an image is made of before it is stored anywhere: the one image factory of the tests. */
export interface ImageParts {
  platform: SeededPlatform;
  types: (typeof FORMATS)[ImageFormat];
  config: Uint8Array;
  /** The gzip'd layer tar. */
  layer: Uint8Array;
  /** A base layer described but never stored (`foreignBaseLayer`). */
  foreign: ReturnType<typeof foreignLayer> | undefined;
}

/**
 * A real single-layer image: a gzip'd tar with one file naming the platform (or the program), a config blob whose
 * os/architecture/variant/os.version say the same and whose diff_id is the tar's sha256. The same options always
 * give the same bytes.
 */
export function imageParts(options: Omit<SeedImageOptions, 'repo' | 'tag'>): ImageParts {
  const { architecture, variant, osVersion } = options;
  const platform: SeededPlatform = {
    os: options.os ?? 'linux',
    architecture,
    ...(variant === undefined ? {} : { variant }),
    ...(osVersion === undefined ? {} : { osVersion }),
  };
  const types = FORMATS[options.format ?? 'oci'];
  const tar =
    options.executable === undefined
      ? tarWithOneFile('platform.txt', layerContent(platform, options.salt, options.layerBytes))
      : tarWithOneFile('hello', options.executable, 0o755);
  const foreign = options.foreignBaseLayer ? foreignLayer(platform, types.foreignLayer) : undefined;
  const config = jsonBytes({
    architecture,
    os: platform.os,
    'os.version': osVersion,
    variant,
    config: options.executable === undefined ? {} : { Entrypoint: ['/hello'] },
    rootfs: { type: 'layers', diff_ids: [...(foreign ? [foreign.diffId] : []), sha256Digest(tar)] },
    history: [{ created_by: 'multiarch-publish test harness' }],
  });
  return { platform, types, config, layer: gzipSync(tar), foreign };
}

/** The image manifest of `parts`, given where its config and layer were stored. */
export function imageManifest(
  parts: ImageParts,
  config: { digest: string; size: number },
  layer: { digest: string; size: number },
): object {
  const { types, foreign } = parts;
  return {
    schemaVersion: 2,
    mediaType: types.manifest,
    config: { mediaType: types.config, ...config },
    layers: [...(foreign ? [foreign.descriptor] : []), { mediaType: types.layer, ...layer }],
  };
}

/** Pushes the image of `imageParts(options)`: blobs, then the manifest by digest and then by `tag`. */
export async function seedImage(registry: RawRegistry, options: SeedImageOptions): Promise<SeededImage> {
  const { repo } = options;
  const parts = imageParts(options);
  const [configBlob, layerBlob] = await Promise.all([
    registry.putBlob(repo, parts.config),
    registry.putBlob(repo, parts.layer),
  ]);
  const manifest = jsonBytes(imageManifest(parts, configBlob, layerBlob));
  return {
    ...(await pushManifest(registry, repo, options.tag, parts.types.manifest, manifest)),
    configDigest: configBlob.digest,
    layerDigests: [layerBlob.digest],
    platform: parts.platform,
  };
}

/** Pushes an index (OCI) or manifest list (Docker) of `children`, by digest and then by `tag`. */
export async function seedIndex(registry: RawRegistry, options: SeedIndexOptions): Promise<SeededIndex> {
  const { repo, children, platforms = 'fromChildren' } = options;
  if (platforms !== 'fromChildren' && platforms.length !== children.length) {
    throw new Error(
      `seedIndex: ${platforms.length} platforms for ${children.length} children; give one per child`,
    );
  }
  const descriptors = children.map((child, index) => {
    const platform = platforms === 'fromChildren' ? child.platform : platforms[index];
    return descriptorOf(repo, child, platform ?? undefined);
  });
  const pushed = await pushIndex(
    registry,
    repo,
    options.tag,
    FORMATS[options.format ?? 'oci'].index,
    descriptors,
  );
  return { ...pushed, children: [...children] };
}

/**
 * Pushes what `docker buildx build --push` leaves behind: an OCI index of the images followed by one attestation
 * manifest per image (registry-protocol.md 3.5): an in-toto statement layer about the image, descriptor platform
 * unknown/unknown, annotated with the attestation reference type and the image's digest.
 */
export async function seedBuildxIndex(
  registry: RawRegistry,
  options: SeedBuildxIndexOptions,
): Promise<SeededIndex & { attestations: SeededImage[] }> {
  const { repo, salt } = options;
  const images = await Promise.all(
    options.images.map((image) => seedImage(registry, { repo, salt, ...image })),
  );
  const attestations = await Promise.all(images.map((image) => seedAttestation(registry, image)));
  const attestationDescriptors = attestations.map(({ attestation, subject }) => ({
    ...descriptorOf(repo, attestation, undefined),
    annotations: {
      'vnd.docker.reference.digest': subject,
      'vnd.docker.reference.type': 'attestation-manifest',
    },
    platform: platformJson(UNKNOWN_PLATFORM),
  }));
  const descriptors = [
    ...images.map((image) => descriptorOf(repo, image, image.platform)),
    ...attestationDescriptors,
  ];
  const pushed = await pushIndex(registry, repo, options.tag, MEDIA_TYPES.ociIndex, descriptors);
  return { ...pushed, children: images, attestations: attestations.map(({ attestation }) => attestation) };
}

/** Serializes an index (or manifest list) of `descriptors` and pushes it by digest, then by `tag`. */
function pushIndex(
  registry: RawRegistry,
  repo: string,
  tag: string | undefined,
  mediaType: string,
  descriptors: readonly object[],
): ReturnType<typeof pushManifest> {
  return pushManifest(
    registry,
    repo,
    tag,
    mediaType,
    jsonBytes({ schemaVersion: 2, mediaType, manifests: descriptors }),
  );
}

/** The attestation manifest about `image`, and the digest of its subject (the image). */
async function seedAttestation(
  registry: RawRegistry,
  image: SeededImage,
): Promise<{ attestation: SeededImage; subject: string }> {
  const { repo } = image;
  const platformText = platformString(image.platform);
  const statement = jsonBytes({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://slsa.dev/provenance/v0.2',
    subject: [
      {
        name: `pkg:docker/${repo}?platform=${encodeURIComponent(platformText)}`,
        digest: { sha256: image.digest.slice('sha256:'.length) },
      },
    ],
    predicate: {
      builder: { id: 'multiarch-publish test harness' },
      buildType: 'https://mobyproject.org/buildkit@v1',
    },
  });
  const [configBlob, statementBlob] = await Promise.all([
    registry.putBlob(repo, jsonBytes({})),
    registry.putBlob(repo, statement),
  ]);
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.attestationConfig, ...configBlob },
    layers: [
      {
        mediaType: MEDIA_TYPES.inToto,
        ...statementBlob,
        annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
      },
    ],
  };
  const attestation = {
    ...(await pushManifest(registry, repo, undefined, MEDIA_TYPES.ociManifest, jsonBytes(manifest))),
    configDigest: configBlob.digest,
    layerDigests: [statementBlob.digest],
    platform: UNKNOWN_PLATFORM,
  };
  return { attestation, subject: image.digest };
}

async function pushManifest(
  registry: RawRegistry,
  repo: string,
  tag: string | undefined,
  mediaType: string,
  bytes: Uint8Array,
): Promise<{ repo: string; digest: string; mediaType: string; bytes: Uint8Array; size: number }> {
  const digest = await registry.putManifest(repo, sha256Digest(bytes), mediaType, bytes);
  if (tag !== undefined) await registry.putManifest(repo, tag, mediaType, bytes);
  return { repo, digest, mediaType, bytes, size: bytes.byteLength };
}

function descriptorOf(repo: string, manifest: SeededImage, platform: SeededPlatform | undefined) {
  if (manifest.repo !== repo) {
    throw new Error(`child ${manifest.repo}@${manifest.digest} is not in ${repo}: seed it there first`);
  }
  const { mediaType, digest, size } = manifest;
  return { mediaType, digest, size, platform: platform === undefined ? undefined : platformJson(platform) };
}

/** Descriptor platform with the key order of the image spec. */
function platformJson({ architecture, os, osVersion, variant }: SeededPlatform) {
  return { architecture, os, 'os.version': osVersion, variant };
}

function platformString({ os, architecture, variant }: SeededPlatform): string {
  return [os, architecture, variant].filter((part) => part !== undefined).join('/');
}

/** A base layer that lives elsewhere (its `urls`): described, never uploaded. */
function foreignLayer(
  platform: SeededPlatform,
  mediaType: string,
): { diffId: string; descriptor: { mediaType: string; digest: string; size: number; urls: string[] } } {
  const tar = tarWithOneFile('base.txt', Buffer.from(`foreign base layer for ${platformString(platform)}\n`));
  const gzipped = gzipSync(tar);
  const digest = sha256Digest(gzipped);
  return {
    diffId: sha256Digest(tar),
    descriptor: {
      mediaType,
      digest,
      size: gzipped.byteLength,
      urls: [`https://mcr.microsoft.com/v2/windows/servercore/blobs/${digest}`],
    },
  };
}

/** The layer's one file: the platform (and salt) in words, then deterministic incompressible filler. */
function layerContent(
  platform: SeededPlatform,
  salt: string | undefined,
  size: number | undefined,
): Uint8Array {
  const versionText = platform.osVersion === undefined ? '' : ` ${platform.osVersion}`;
  const saltText = salt === undefined ? '' : ` salt=${salt}`;
  const head = Buffer.from(`${platformString(platform)}${versionText}${saltText}\n`);
  const fillerBytes = Math.max(0, (size ?? 0) - head.byteLength);
  if (fillerBytes === 0) return head;
  // AES-CTR over zeros, keyed by the head: random-looking, so gzip cannot shrink it, yet reproducible.
  const key = createHash('sha256').update(head).digest();
  const filler = createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(fillerBytes));
  return Buffer.concat([head, filler]);
}
