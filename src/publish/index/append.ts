import type { Digest } from '../../oci/digest.js';
import { platformKey } from '../../oci/platform.js';
import { attestationSubject, isAttestationDescriptor, parseManifest } from '../../oci/manifest.js';
import type { ContentSource } from '../../oci/content-source.js';
import type { Descriptor } from '../../oci/manifest.js';
import { describeCause } from '../../common/causes.js';
import { formatReference, manifestIdentifier, type Reference } from '../../oci/reference.js';
import type { Child } from '../child.js';
import { inRepository } from '../sources/choose-source.js';
import { attestationsOf } from './combine.js';
import { resolveChosen, type ResolveContext } from '../sources/resolve-source.js';

/**
 * The entries of the index already at `target`, for `append`. Their platforms are taken from the
 * index descriptors (that index was verified when it was published); an entry without one, or a
 * single image at the tag, is proven like any source.
 */
export async function readExisting(target: Reference, context: ResolveContext): Promise<Child[]> {
  const { registry, logger } = context;
  const where = formatReference(target);
  const info = await registry.headManifest(target, manifestIdentifier(target));
  if (info === undefined) {
    logger.info(`append: nothing at ${where} yet, so the index holds the sources alone`);
    return [];
  }
  const source = registry.source(target);
  const raw = await source.manifest(info.digest);
  const parsed = parseManifest(raw, where);
  const proven = (): Promise<Child[]> => resolveChosen(inRepository(source, raw), { text: where }, context);
  if (parsed.kind === 'image') return proven();
  const entries = parsed.index.manifests;
  const unproven = entries.some((entry) => entry.platform === undefined && !isAttestationDescriptor(entry));
  if (unproven) return proven();
  return entries.map((entry) => existingChild(entry, source, where));
}

function existingChild(entry: Descriptor, from: ContentSource, where: string): Child {
  const attestation = isAttestationDescriptor(entry);
  return {
    kind: attestation ? 'attestation' : 'image',
    descriptor: entry,
    platform: entry.platform ?? { os: 'unknown', architecture: 'unknown' },
    from,
    source: where,
    ...(attestation ? { subject: attestationSubject(entry) } : {}),
  };
}

/**
 * The existing entries with the fresh ones merged in: a platform given again is replaced in place,
 * new platforms follow, and attestations follow the images they describe.
 */
export function mergeIntoExisting(existing: Child[], fresh: Child[]): Child[] {
  const freshImages = fresh.filter((child) => child.kind === 'image');
  const replacement = new Map(freshImages.map((child) => [platformKey(child.platform), child]));
  const used = new Set<Child>();
  const images: Child[] = [];
  for (const child of existing.filter((entry) => entry.kind === 'image')) {
    const fresher = replacement.get(platformKey(child.platform));
    if (fresher !== undefined) used.add(fresher);
    images.push(fresher ?? child);
  }
  images.push(...freshImages.filter((child) => !used.has(child)));
  return [...images, ...attestationsOf(images, [...existing, ...fresh])];
}

/**
 * `append` read the tag early and wrote it last: a run appending to the same tag in between replaces it, and one of
 * the two runs' platforms are lost. One HEAD of the tag after the move tells; when another run has replaced it, the
 * warning names this run's platforms it no longer holds. It only warns: this run's tags are already moved.
 */
export async function warnLostPlatforms(
  target: Reference,
  index: Digest,
  fresh: Child[],
  context: ResolveContext,
): Promise<void> {
  const { registry, logger } = context;
  const where = formatReference(target);
  try {
    const info = await registry.headManifest(target, manifestIdentifier(target));
    if (info?.digest === index) return;
    const held = new Set<string>();
    if (info !== undefined) {
      const parsed = parseManifest(await registry.source(target).manifest(info.digest), where);
      if (parsed.kind === 'index') {
        for (const entry of parsed.index.manifests) if (entry.platform) held.add(platformKey(entry.platform));
      }
    }
    const lost = fresh.filter((child) => child.kind === 'image' && !held.has(platformKey(child.platform)));
    if (lost.length === 0) return;
    logger.warning(
      `append: another run replaced ${where} after this one (now ${info?.digest ?? 'no manifest'}), and it no ` +
        `longer holds ${lost.map((child) => platformKey(child.platform)).join(', ')} from this run: ` +
        'runs merging into one tag must not overlap (merge in one job)',
    );
  } catch (error) {
    logger.warning(
      `append: could not read ${where} back to check that no other run replaced it: ${describeCause(error)}`,
    );
  }
}
