import type { Logger } from '../../common/logger.js';
import type { ContentSource } from '../../oci/content-source.js';
import { osPaths } from '../../oci/executable/os-paths.js';
import { runConfigOf } from '../../oci/executable/run-config.js';
import type { ImageManifest } from '../../oci/manifest.js';
import { judgeBinaries, type ProofSubject } from './judge-binaries.js';
import { scanLayers } from './scan-layers.js';

/** How many layer bytes (as stored, compressed) the binary proof reads per platform at most: 256 MB. */
export const BINARY_PROOF_BUDGET = 256_000_000;

/**
 * Reads the image's layers for the program it runs and a sample of its executables, and refuses it when they are
 * for another platform than its config says. Returns what was checked; what could not be is a notice.
 */
export async function proveBinaries(
  subject: ProofSubject,
  from: ContentSource,
  manifest: ImageManifest,
  config: Uint8Array,
  logger: Logger,
  budget = BINARY_PROOF_BUDGET,
): Promise<string> {
  // The config already parsed as JSON when its platform was read.
  const run = runConfigOf(JSON.parse(new TextDecoder().decode(config)));
  const spent = { limit: budget, used: 0 };
  const scan = await scanLayers(
    from,
    manifest.layers,
    osPaths(subject.platform.os),
    run,
    spent,
    subject.what,
  );
  const proof = judgeBinaries(subject, scan, budget);
  logger.debug(`${subject.what}: binary proof read ${scan.bytesRead} bytes of layers: ${proof.proven}`);
  for (const notice of proof.notices) logger.notice(notice);
  return proof.proven;
}
