import type { Logger } from '../../common/logger.js';
import type { ContentSource } from '../../oci/content-source.js';
import { attestationSubject, platformFromConfig } from '../../oci/manifest.js';
import type { Descriptor, ImageManifest, RawManifest } from '../../oci/manifest.js';
import { platformKey, platformMatches } from '../../oci/platform.js';
import type { Child } from '../child.js';
import { CheckFailedError } from '../publish-errors.js';
import type { ProofDepth } from '../request.js';
import { proveBinaries } from './binary-proof.js';

/** How deep to prove, and where to say what could not be checked. */
export interface ProofContext {
  prove: ProofDepth;
  proveBudget?: number;
  logger: Logger;
}

/** Image configs are small JSON documents; anything larger is not a config. */
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/**
 * One image manifest read from `from`, its platform proven from its config blob and, with `prove: binaries`, from
 * the programs in its layers; `text` names the source.
 */
export async function proveImage(
  text: string,
  from: ContentSource,
  raw: RawManifest,
  manifest: ImageManifest,
  proof: ProofContext,
): Promise<Child> {
  const config = await from.readBlob(manifest.config, MAX_CONFIG_BYTES);
  const platform = platformFromConfig(config, `config of ${text} (${raw.digest})`);
  const subject = { platform, what: `${platformKey(platform)} of ${text} (${raw.digest})` };
  const proven =
    proof.prove === 'binaries'
      ? await proveBinaries(subject, from, manifest, config, proof.logger, proof.proveBudget)
      : 'config';
  return {
    kind: 'image',
    descriptor: { mediaType: raw.mediaType, digest: raw.digest, size: raw.bytes.byteLength, platform },
    platform,
    from,
    content: { raw, manifest },
    source: text,
    proven,
  };
}

/** An image listed by an index: proven, and the index's claim about its platform checked against the proof. */
export async function proveIndexEntry(
  text: string,
  from: ContentSource,
  entry: Descriptor,
  raw: RawManifest,
  manifest: ImageManifest,
  proof: ProofContext,
): Promise<Child> {
  const child = await proveImage(text, from, raw, manifest, proof);
  if (entry.platform !== undefined && !platformMatches(entry.platform, child.platform)) {
    throw new CheckFailedError(
      `source "${text}": its index lists ${entry.digest} as ${platformKey(entry.platform)} but that ` +
        `image's config says it is ${platformKey(child.platform)}; the index is wrong, rebuild it`,
      [child],
      { digest: entry.digest, source: text, check: `the index says ${platformKey(entry.platform)}` },
    );
  }
  // The index entry's own platform and annotations are kept as written; only their truth is checked.
  return { ...child, descriptor: { ...child.descriptor, ...definedFields(entry) } };
}

function definedFields(entry: Descriptor): Partial<Descriptor> {
  const fields: Partial<Descriptor> = {};
  if (entry.platform !== undefined) fields.platform = entry.platform;
  if (entry.annotations !== undefined) fields.annotations = entry.annotations;
  return fields;
}

/** An attestation listed by an index: kept as its descriptor says, tied to the image it describes. */
export function attestation(
  text: string,
  from: ContentSource,
  entry: Descriptor,
  raw: RawManifest,
  manifest: ImageManifest,
): Child {
  return {
    kind: 'attestation',
    descriptor: entry,
    platform: entry.platform ?? { os: 'unknown', architecture: 'unknown' },
    from,
    content: { raw, manifest },
    source: text,
    subject: attestationSubject(entry),
  };
}
