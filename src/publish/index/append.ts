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

/** What `append` found at the tag: the digest it read (none: no such tag) and the entries it merges into. */
export interface Existing {
  digest: Digest | undefined;
  children: Child[];
}

/**
 * The entries of the index already at `target`, for `append`. Their platforms are taken from the
 * index descriptors (that index was verified when it was published); an entry without one, or a
 * single image at the tag, is proven like any source.
 */
export async function readExisting(target: Reference, context: ResolveContext): Promise<Existing> {
  const { registry, logger } = context;
  const where = formatReference(target);
  const info = await registry.headManifest(target, manifestIdentifier(target));
  if (info === undefined) {
    logger.info(`append: nothing at ${where} yet, so the index holds the sources alone`);
    return { digest: undefined, children: [] };
  }
  return { digest: info.digest, children: await existingChildren(target, info.digest, context) };
}

async function existingChildren(
  target: Reference,
  digest: Digest,
  context: ResolveContext,
): Promise<Child[]> {
  const { registry } = context;
  const where = formatReference(target);
  const source = registry.source(target);
  const raw = await source.manifest(digest);
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

/** The digests around the move of the `append` tag, for the checks after it. */
export interface AppendMove {
  /** What `readExisting` read and the index merged into. */
  mergedInto: Digest | undefined;
  /** What the tag held just before this run's write replaced it. */
  replaced: Digest | undefined;
  /** This run's index. */
  index: Digest;
}

/**
 * `append` reads the tag early and writes it last: another run appending to the same tag in between loses
 * images, and each side of that race is told. Before: when the tag held another index by the time this run wrote
 * it, the images of that index this run's does not carry are named, by platform, as gone. After: one HEAD of the
 * tag; when another run has replaced it since, the warning names the platforms of this run's images it no longer
 * holds. Both only warn: this run's tags are already moved. Returns what the tag holds as that HEAD read it
 * (undefined: nothing, or it could not be read).
 */
export async function warnLostPlatforms(
  target: Reference,
  move: AppendMove,
  fresh: Child[],
  context: ResolveContext,
): Promise<Digest | undefined> {
  const { registry, logger } = context;
  const where = formatReference(target);
  const advice =
    'runs merging into one tag must not overlap (merge in one job, or give them one concurrency group)';
  try {
    const { mergedInto, replaced, index } = move;
    if (replaced !== undefined && replaced !== mergedInto && replaced !== index) {
      const lost = missingFrom(
        await imagesAt(target, replaced, context),
        await imagesAt(target, index, context),
      );
      if (lost !== '') {
        logger.warning(
          `append: another run moved ${where} to ${replaced} after this run read it (${mergedInto ?? 'no manifest'}); ` +
            `this run replaced it, and ${lost} from that run are gone: ${advice}`,
        );
      }
    }
    const info = await registry.headManifest(target, manifestIdentifier(target));
    if (info?.digest === index) return index;
    const held =
      info === undefined ? new Map<Digest, string>() : await imagesAt(target, info.digest, context);
    const ours = new Map(
      fresh
        .filter((child) => child.kind === 'image')
        .map((child) => [child.descriptor.digest, platformKey(child.platform)]),
    );
    const lost = missingFrom(ours, held);
    if (lost !== '') {
      logger.warning(
        `append: another run replaced ${where} after this one (now ${info?.digest ?? 'no manifest'}), and it no ` +
          `longer holds ${lost} from this run: ${advice}`,
      );
    }
    return info?.digest;
  } catch (error) {
    logger.warning(
      `append: could not read ${where} back to check that no other run replaced it: ${describeCause(error)}`,
    );
    return undefined;
  }
}

/** The platforms of the images in `images` that `held` lacks, comma-separated. */
function missingFrom(images: Map<Digest, string>, held: Map<Digest, string>): string {
  return [...images]
    .filter(([digest]) => !held.has(digest))
    .map(([, platform]) => platform)
    .join(', ');
}

/** The images of the index `digest` in the tag's repository, with their platforms (none for a single image). */
async function imagesAt(
  target: Reference,
  digest: Digest,
  context: ResolveContext,
): Promise<Map<Digest, string>> {
  const parsed = parseManifest(
    await context.registry.source(target).manifest(digest),
    formatReference(target),
  );
  const images = new Map<Digest, string>();
  if (parsed.kind !== 'index') return images;
  for (const entry of parsed.index.manifests) {
    if (entry.platform && !isAttestationDescriptor(entry))
      images.set(entry.digest, platformKey(entry.platform));
  }
  return images;
}
