import { platformKey, platformMatches, type Platform } from '../../oci/platform.js';
import type { Child } from '../child.js';
import { CheckFailedError, MissingPlatformsError } from '../publish-errors.js';

/**
 * The index entries in their final order: each digest once, images in input order, then the
 * attestations whose subject is kept. Two different images for one platform are an error.
 */
export function combineChildren(children: Child[]): Child[] {
  const byDigest = new Map<string, Child>();
  for (const child of children) {
    if (!byDigest.has(child.descriptor.digest)) byDigest.set(child.descriptor.digest, child);
  }
  const unique = [...byDigest.values()];
  const images = unique.filter((child) => child.kind === 'image');
  const byPlatform = new Map<string, Child>();
  for (const image of images) {
    const identity = platformKey(image.platform);
    const earlier = byPlatform.get(identity);
    if (earlier !== undefined) {
      throw new CheckFailedError(
        `two different images for ${platformKey(image.platform)}: ${earlier.descriptor.digest} from ` +
          `"${earlier.source}" and ${image.descriptor.digest} from "${image.source}"; keep one of them`,
        unique,
        {
          digest: image.descriptor.digest,
          source: image.source,
          check: `second image for ${platformKey(image.platform)}`,
        },
      );
    }
    byPlatform.set(identity, image);
  }
  return [...images, ...attestationsOf(images, unique)];
}

/** Attestations whose subject is among `images`, each digest once, in their original order. */
export function attestationsOf(images: Child[], children: Child[]): Child[] {
  const subjects = new Set<string>(images.map((image) => image.descriptor.digest));
  const seen = new Set<string>();
  return children.filter((child) => {
    const keep =
      child.kind === 'attestation' &&
      child.subject !== undefined &&
      subjects.has(child.subject) &&
      !seen.has(child.descriptor.digest);
    if (keep) seen.add(child.descriptor.digest);
    return keep;
  });
}

/** The required platforms no image matches (see platformMatches: as the user writes them). */
export function missingPlatforms(children: Child[], required: Platform[]): Platform[] {
  const images = children.filter((child) => child.kind === 'image');
  return required.filter((wanted) => !images.some((image) => platformMatches(wanted, image.platform)));
}

/** Fails when a platform the user requires is not among the images, listing what is there. */
export function requirePlatforms(children: Child[], required: Platform[]): void {
  const missing = missingPlatforms(children, required);
  if (missing.length > 0) {
    const images = children.filter((child) => child.kind === 'image');
    const have = images.map((image) => platformKey(image.platform)).join(', ') || 'none';
    throw new MissingPlatformsError(
      `required platform${missing.length > 1 ? 's' : ''} ${missing.map(platformKey).join(', ')} ` +
        `missing from the sources; they provide ${have}`,
      missing,
    );
  }
}
