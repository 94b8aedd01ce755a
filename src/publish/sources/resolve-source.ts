import { isAttestationDescriptor, parseManifest } from '../../oci/manifest.js';
import type { Descriptor, RawManifest } from '../../oci/manifest.js';
import { platformKey, platformMatches } from '../../oci/platform.js';
import { isImageManifestMediaType, isIndexMediaType } from '../../oci/media-types.js';
import type { Logger } from '../../common/logger.js';
import type { Child } from '../child.js';
import { chooseSource, type ChooseContext, type ChosenSource } from './choose-source.js';
import { CheckFailedError, PublishError } from '../publish-errors.js';
import { attestation, proveImage, proveIndexEntry, type ProofContext } from '../proof/prove-image.js';
import { provenOf } from './proven.js';
import type { SourceSpec } from '../request.js';

/** What resolving a source needs besides the source. */
export interface ResolveContext extends ChooseContext, ProofContext {
  logger: Logger;
}

/** How a source is named in messages, and the platform the user declared for it, if any. */
export type SourceLabel = Pick<SourceSpec, 'text' | 'declared'>;

/** What one `sources` entry contributes, and the index it is, when it is one that was checked whole. */
export interface ResolvedSource {
  children: Child[];
  /** A registry index taken as it stands (no declared platform picks from it): exactly what was verified. */
  index?: RawManifest;
}

/**
 * Reads one `sources` entry and returns the index entries it contributes: one image for an image
 * manifest, every platform (and attestation) for an index or a layout, each proven from its config.
 */
export async function resolveSource(spec: SourceSpec, context: ResolveContext): Promise<ResolvedSource> {
  const chosen = await chooseSource(spec, context);
  const children = await resolveChosen(chosen, spec, context);
  const whole =
    chosen.container === 'index' && spec.declared === undefined && isIndexMediaType(chosen.root.mediaType);
  return whole ? { children, index: chosen.root } : { children };
}

/** The entries a chosen source's root contributes, whatever backend holds it. */
export async function resolveChosen(
  chosen: ChosenSource,
  label: SourceLabel,
  proof: ProofContext,
): Promise<Child[]> {
  const { source, root } = chosen;
  const parsed = parseManifest(root, label.text);
  if (parsed.kind === 'image') {
    const child = await proveImage(label.text, source, root, parsed.manifest, proof);
    if (label.declared && !platformMatches(label.declared, child.platform)) {
      throw new CheckFailedError(
        `source "${label.text}" is declared ${platformKey(label.declared)} but its config says it is ` +
          `${platformKey(child.platform)} (${root.digest}); fix the source or its declared platform`,
        [child],
        { digest: root.digest, source: label.text, check: `declared ${platformKey(label.declared)}` },
      );
    }
    return [child];
  }
  const entries = await expandIndexes(chosen, label, parsed.index.manifests, chosen.expandIndexes);
  return selectDeclared(chosen, label, await resolveIndex(chosen, label, entries, proof));
}

/** Replaces each listed index by its entries, `levels` deep. */
async function expandIndexes(
  chosen: ChosenSource,
  label: SourceLabel,
  entries: Descriptor[],
  levels: number,
): Promise<Descriptor[]> {
  if (levels === 0) return entries;
  const expanded = await Promise.all(
    entries.map(async (entry) => {
      if (!isIndexMediaType(entry.mediaType)) return [entry];
      const parsed = parseManifest(
        await chosen.source.manifest(entry.digest),
        `${label.text} → ${entry.digest}`,
      );
      if (parsed.kind !== 'index') return [entry];
      return expandIndexes(chosen, label, parsed.index.manifests, levels - 1);
    }),
  );
  return expanded.flat();
}

async function resolveIndex(
  chosen: ChosenSource,
  label: SourceLabel,
  entries: Descriptor[],
  proof: ProofContext,
): Promise<Child[]> {
  const what = label.text;
  const usable = entries.filter((entry) => {
    if (isIndexMediaType(entry.mediaType)) {
      throw new PublishError(
        `source "${what}" nests an index (${entry.digest}); nested indexes are not supported`,
      );
    }
    if (isImageManifestMediaType(entry.mediaType)) return true;
    proof.logger.warning(`source "${what}": skipping ${entry.digest}, of media type ${entry.mediaType}`);
    return false;
  });
  const settled = await Promise.allSettled(
    usable.map(async (entry) => {
      const raw = await chosen.source.manifest(entry.digest);
      const parsed = parseManifest(raw, `${what} → ${entry.digest}`);
      if (parsed.kind !== 'image') {
        throw new PublishError(`source "${what}": entry ${entry.digest} is not an image manifest`);
      }
      return isAttestationDescriptor(entry)
        ? attestation(what, chosen.source, entry, raw, parsed.manifest)
        : proveIndexEntry(what, chosen.source, entry, raw, parsed.manifest, proof);
    }),
  );
  return withAllProven(settled);
}

/** The entries, or the first failure; a failed check carries every entry proven beside it, in index order. */
function withAllProven(settled: PromiseSettledResult<Child>[]): Child[] {
  const { proven, rejected } = provenOf(settled, (child) => [child]);
  if (rejected === undefined) return proven;
  const error: unknown = rejected.reason;
  if (!(error instanceof CheckFailedError)) throw error;
  throw new CheckFailedError(error.message, proven, error.failed);
}

/** A `PLATFORM=REF` entry whose REF is an index takes that one platform from it (and its attestations). */
function selectDeclared(chosen: ChosenSource, label: SourceLabel, children: Child[]): Child[] {
  const declared = label.declared;
  if (declared === undefined) return children;
  const images = children.filter(
    (child) => child.kind === 'image' && platformMatches(declared, child.platform),
  );
  if (images.length === 0) {
    const present = children.filter((c) => c.kind === 'image').map((c) => platformKey(c.platform));
    throw new PublishError(
      `source "${label.text}" is declared ${platformKey(declared)} but that ${chosen.container} has no ` +
        `such image; it has ${present.join(', ') || 'no images'}`,
    );
  }
  const kept = new Set(images.map((child) => child.descriptor.digest));
  return children.filter(
    (child) => kept.has(child.descriptor.digest) || (child.subject !== undefined && kept.has(child.subject)),
  );
}
