import { seedImage, type SeededImage } from '../testkit/images.js';
import { RawRegistry } from '../testkit/raw-registry.js';
import type { TestRegistry } from '../testkit/registry-process.js';

export const REPO = 'bench/app';

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
 * One small, distinct Docker schema 2 image per platform in REPO (the format every tool here can list), pushed
 * straight to the registry, not through the proxy.
 */
export async function seedPlatformImages(registry: TestRegistry, count: number): Promise<SeededImage[]> {
  const raw = new RawRegistry(registry);
  const images: SeededImage[] = [];
  for (const platform of PLATFORMS.slice(0, count)) {
    const [os = '', architecture = '', variant] = platform.split('/');
    const salt = `bench ${platform}`;
    images.push(await seedImage(raw, { repo: REPO, os, architecture, variant, format: 'docker', salt }));
  }
  return images;
}

/** True when `reference` in REPO is an index listing exactly `children`. */
export async function holdsIndexOf(
  registry: TestRegistry,
  reference: string,
  children: readonly SeededImage[],
): Promise<boolean> {
  const fetched = await new RawRegistry(registry).getManifest(REPO, reference);
  if (fetched.status !== 200) return false;
  const index = JSON.parse(Buffer.from(fetched.bytes).toString()) as {
    manifests?: Array<{ digest: string }>;
  };
  const listed = new Set((index.manifests ?? []).map(({ digest }) => digest));
  return listed.size === children.length && children.every(({ digest }) => listed.has(digest));
}
