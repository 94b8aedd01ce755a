import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sha256Digest } from '../testkit/digest.js';
import { seedImage, type SeededImage } from '../testkit/images.js';
import { jsonBytes } from '../testkit/json.js';
import { MEDIA_TYPES } from '../testkit/media-types.js';
import { RawRegistry } from '../testkit/raw-registry.js';
import { tarWithOneFile } from '../testkit/tar.js';
import type { TestRegistry } from '../testkit/registry-process.js';

export const REPO = 'bench/app';
/** The images with several layers of real size, for mounts and copies. */
export const LAYERED_REPO = 'bench/layered';
const LAYERS_PER_IMAGE = 3;
const LAYER_BYTES = 1024 * 1024;

/** 16 distinct platforms, the most common first: a scenario with N platforms takes the first N. */
export const PLATFORMS = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/ppc64le',
  'linux/s390x',
  'linux/386',
  'linux/riscv64',
  'linux/arm/v6',
  'linux/mips64le',
  'linux/loong64',
  'linux/amd64/v2',
  'linux/amd64/v3',
  'linux/arm/v5',
  'linux/mips64',
  'linux/mipsle',
  'linux/ppc64',
] as const;

/**
 * One small, distinct, tagged Docker schema 2 image per platform in REPO (the format every tool here can list), pushed
 * straight to the registry, not through the proxy.
 */
export async function seedPlatformImages(registry: TestRegistry, count: number): Promise<SeededImage[]> {
  const raw = new RawRegistry(registry);
  const images: SeededImage[] = [];
  for (const platform of PLATFORMS.slice(0, count)) {
    const [os = '', architecture = '', variant] = platform.split('/');
    const salt = `bench ${platform}`;
    const tag = platformTag(platform);
    images.push(await seedImage(raw, { repo: REPO, tag, os, architecture, variant, format: 'docker', salt }));
  }
  return images;
}

/**
 * One Docker schema 2 image per platform in LAYERED_REPO with LAYERS_PER_IMAGE gzip'd layers of LAYER_BYTES of
 * incompressible bytes each (7 platforms: 28 blobs, about 21 MiB), pushed straight to the registry.
 */
export async function seedLayeredImages(registry: TestRegistry, count: number): Promise<SeededImage[]> {
  const raw = new RawRegistry(registry);
  const images: SeededImage[] = [];
  for (const platform of PLATFORMS.slice(0, count)) {
    const [os = '', architecture = '', variant] = platform.split('/');
    const tars = Array.from({ length: LAYERS_PER_IMAGE }, (_, i) =>
      tarWithOneFile(`layer-${i}.bin`, randomBytes(LAYER_BYTES)),
    );
    const layers = await Promise.all(tars.map((tar) => raw.putBlob(LAYERED_REPO, gzipSync(tar))));
    const config = await raw.putBlob(
      LAYERED_REPO,
      // A history entry per layer: distribution 2.8 answers a HEAD that does not accept schema 2 by converting to
      // schema 1, which fails (400) without one.
      jsonBytes({
        architecture,
        os,
        variant,
        rootfs: { type: 'layers', diff_ids: tars.map((tar) => sha256Digest(tar)) },
        history: tars.map(() => ({ created_by: 'multiarch-publish bench' })),
      }),
    );
    const manifest = jsonBytes({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.dockerManifest,
      config: { mediaType: MEDIA_TYPES.dockerConfig, ...config },
      layers: layers.map((layer) => ({ mediaType: MEDIA_TYPES.dockerLayerGzip, ...layer })),
    });
    const digest = sha256Digest(manifest);
    await raw.putManifest(LAYERED_REPO, platformTag(platform), MEDIA_TYPES.dockerManifest, manifest);
    images.push({
      repo: LAYERED_REPO,
      digest,
      mediaType: MEDIA_TYPES.dockerManifest,
      bytes: manifest,
      size: manifest.length,
      configDigest: config.digest,
      layerDigests: layers.map(({ digest: layerDigest }) => layerDigest),
      platform: { os, architecture, ...(variant === undefined ? {} : { variant }) },
    });
  }
  return images;
}

/**
 * Each seeded image is tagged, as a release's per-platform images are in a real repository; a repository without a
 * tag answers 404 to a tag listing, and tools then have to look for each referrer tag one by one.
 */
function platformTag(platform: string): string {
  return `seed-${platform.replaceAll('/', '-')}`;
}

/** True when `reference` in `repo` is an index listing exactly `children`. */
export async function holdsIndexOf(
  registry: TestRegistry,
  repo: string,
  reference: string,
  children: readonly SeededImage[],
): Promise<boolean> {
  const fetched = await new RawRegistry(registry).getManifest(repo, reference);
  if (fetched.status !== 200) return false;
  const index = JSON.parse(Buffer.from(fetched.bytes).toString()) as {
    manifests?: Array<{ digest: string }>;
  };
  const listed = new Set((index.manifests ?? []).map(({ digest }) => digest));
  return listed.size === children.length && children.every(({ digest }) => listed.has(digest));
}
