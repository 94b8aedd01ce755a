// Images with several layers built from tar entries: the binary proof's layer cases (whiteouts, opaque
// directories, links across layers, scripts) and incident replays. Compression per layer: gzip, zstd or none.
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { sha256Digest } from './digest.js';
import type { SeededImage, SeededPlatform } from './images.js';
import { jsonBytes } from './json.js';
import { MEDIA_TYPES } from './media-types.js';
import type { RawRegistry } from './raw-registry.js';
import { tarOf, type TarEntry } from './tar.js';

export type Compression = 'gzip' | 'zstd' | 'none';

export interface LayerSpec {
  entries: TarEntry[];
  compression?: Compression;
  /** The layer's bytes as stored, instead of the entries' tar: a broken layer. */
  stored?: Uint8Array;
}

/** What the config says the container runs. */
export interface RunSpec {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
}

export interface LayeredImageSpec {
  platform: SeededPlatform;
  run?: RunSpec;
  /** Bottom layer first, as a manifest lists them. */
  layers: LayerSpec[];
}

export interface LayeredImageParts {
  config: Uint8Array;
  layers: Array<{ mediaType: string; bytes: Uint8Array }>;
}

const LAYER_TYPES: Record<Compression, string> = {
  gzip: MEDIA_TYPES.ociLayerGzip,
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  none: 'application/vnd.oci.image.layer.v1.tar',
};

const bytes = (text: string): Uint8Array => Buffer.from(text);
/** A regular file, executable unless `mode` says otherwise. */
export const file = (name: string, content: Uint8Array | string, mode = 0o755): TarEntry => ({
  name,
  content: typeof content === 'string' ? bytes(content) : content,
  mode,
});
export const dir = (name: string): TarEntry => ({ name: `${name}/`, content: new Uint8Array(), type: 'dir' });
export const symlink = (name: string, target: string): TarEntry => ({
  name,
  content: new Uint8Array(),
  type: 'symlink',
  linkName: target,
  mode: 0o777,
});
export const hardlink = (name: string, target: string): TarEntry => ({
  name,
  content: new Uint8Array(),
  type: 'hardlink',
  linkName: target,
});
/** Deletes `name` of the layers below. */
export const whiteout = (name: string): TarEntry => {
  const slash = name.lastIndexOf('/');
  return file(`${name.slice(0, slash + 1)}.wh.${name.slice(slash + 1)}`, '', 0o644);
};
/** Hides everything the layers below have in `name`. */
export const opaque = (name: string): TarEntry => file(`${name}/.wh..wh..opq`, '', 0o644);

/** The config and the compressed layers of `spec`; the same spec always gives the same bytes. */
export function layeredImageParts(spec: LayeredImageSpec): LayeredImageParts {
  const tars = spec.layers.map((layer) => layer.stored ?? tarOf(layer.entries));
  const { os, architecture, variant } = spec.platform;
  const config = jsonBytes({
    architecture,
    os,
    ...(variant === undefined ? {} : { variant }),
    config: spec.run ?? {},
    rootfs: { type: 'layers', diff_ids: tars.map((tar) => sha256Digest(tar)) },
  });
  const layers = spec.layers.map((layer, index) => {
    const compression = layer.compression ?? 'gzip';
    const tar = tars[index] as Uint8Array;
    const stored =
      layer.stored ??
      (compression === 'gzip' ? gzipSync(tar) : compression === 'zstd' ? zstdCompressSync(tar) : tar);
    return { mediaType: LAYER_TYPES[compression], bytes: new Uint8Array(stored) };
  });
  return { config, layers };
}

/** The OCI image manifest of `parts`, given the descriptors its blobs were stored under. */
export function layeredManifest(
  parts: LayeredImageParts,
  config: { digest: string; size: number },
  layers: ReadonlyArray<{ digest: string; size: number }>,
): object {
  return {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, ...config },
    layers: layers.map((layer, index) => ({ mediaType: parts.layers[index]?.mediaType, ...layer })),
  };
}

/** Pushes the image of `spec` to `repo`, by digest and under `tag`. */
export async function seedLayeredImage(
  registry: RawRegistry,
  repo: string,
  tag: string,
  spec: LayeredImageSpec,
): Promise<SeededImage> {
  const parts = layeredImageParts(spec);
  const config = await registry.putBlob(repo, parts.config);
  const layers = await Promise.all(parts.layers.map((layer) => registry.putBlob(repo, layer.bytes)));
  const manifest = jsonBytes(layeredManifest(parts, config, layers));
  const digest = await registry.putManifest(repo, sha256Digest(manifest), MEDIA_TYPES.ociManifest, manifest);
  await registry.putManifest(repo, tag, MEDIA_TYPES.ociManifest, manifest);
  return {
    repo,
    digest,
    mediaType: MEDIA_TYPES.ociManifest,
    bytes: manifest,
    size: manifest.byteLength,
    configDigest: config.digest,
    layerDigests: layers.map((layer) => layer.digest),
    platform: spec.platform,
  };
}
