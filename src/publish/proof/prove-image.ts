import type { Logger } from '../../common/logger.js';
import type { ContentSource } from '../../oci/content-source.js';
import type { Digest } from '../../oci/digest.js';
import { attestationSubject, platformFromConfig } from '../../oci/manifest.js';
import type { Descriptor, ImageManifest, RawManifest } from '../../oci/manifest.js';
import { platformKey, platformMatches, type Platform } from '../../oci/platform.js';
import type { Child } from '../child.js';
import { CheckFailedError } from '../publish-errors.js';
import type { ProofDepth } from '../request.js';
import { proveBinaries } from './binary-proof.js';
import { readLayersAhead } from './layers-ahead.js';
import type { KeptBlobs } from '../sources/kept-blobs.js';

/** How deep to prove, where to say what could not be checked, and where blobs read whole are kept. */
export interface ProofContext {
  prove: ProofDepth;
  proveBudget?: number;
  logger: Logger;
  kept?: KeptBlobs;
  /** Hears each image manifest as it is read, before its proof: what the targets hold can be asked meanwhile. */
  onImage?: (from: ContentSource, digest: Digest) => void;
}

/** Image configs are small JSON documents; anything larger is not a config. */
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/**
 * One image manifest read from `from`, its platform proven from its config blob and, with `prove: binaries`, from
 * the programs in its layers; `text` names the source. The child reads through `proof.kept`, so a copy finds
 * there what the proof read whole.
 */
export async function proveImage(
  text: string,
  source: ContentSource,
  raw: RawManifest,
  manifest: ImageManifest,
  proof: ProofContext,
): Promise<Child> {
  proof.onImage?.(source, raw.digest);
  const from = proof.kept?.around(source) ?? source;
  const early = proof.prove === 'binaries' ? readLayersAhead(from, manifest.layers) : undefined;
  let platform: Platform;
  let proven: string;
  try {
    const config = await from.readBlob(manifest.config, MAX_CONFIG_BYTES);
    platform = platformFromConfig(config, `config of ${text} (${raw.digest})`);
    const subject = { platform, what: `${platformKey(platform)} of ${text} (${raw.digest})` };
    proven =
      early === undefined
        ? 'config'
        : await proveBinaries(subject, early.source, manifest, config, proof.logger, proof.proveBudget);
  } finally {
    early?.drop();
  }
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
