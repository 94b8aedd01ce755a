import { parseManifest, type Descriptor, type ImageManifest, type RawManifest } from '../../oci/manifest.js';
import { formatRepository, sameRepository } from '../../oci/reference.js';
import type { RepositoryName } from '../../oci/reference.js';
import type { BlobTransfer, RegistryApi } from '../../registry/api.js';
import type { Logger } from '../../common/logger.js';
import type { Child } from '../child.js';
import { PublishError } from '../publish-errors.js';
import type { TransferCounts } from '../result.js';

/**
 * Makes every child present in every target repository: images first, then the attestations that
 * describe them, each manifest after its blobs. Nothing here touches a tag. `alongside` runs for each
 * child once it is present in a repository (what refers to it goes there next).
 */
export async function pushChildren(
  children: Child[],
  repos: RepositoryName[],
  registry: RegistryApi,
  logger: Logger,
  alongside: (child: Child, repo: RepositoryName) => Promise<void> = async () => undefined,
): Promise<TransferCounts> {
  const counts: TransferCounts = { present: 0, mounted: 0, copied: 0 };
  const count = (transfer: BlobTransfer): void => {
    counts[transfer] += 1;
  };
  await Promise.all(
    repos.map(async (repo) => {
      const images = children.filter((child) => child.kind === 'image');
      const attestations = children.filter((child) => child.kind === 'attestation');
      const ensure = async (child: Child): Promise<void> => {
        await ensureChild(child, repo, registry, logger, count);
        await alongside(child, repo);
      };
      await Promise.all(images.map(ensure));
      await Promise.all(attestations.map(ensure));
    }),
  );
  return counts;
}

async function ensureChild(
  child: Child,
  repo: RepositoryName,
  registry: RegistryApi,
  logger: Logger,
  count: (transfer: BlobTransfer) => void,
): Promise<void> {
  const digest = child.descriptor.digest;
  // A child read from this very repository is there already.
  const home = child.from.repository;
  if (home !== undefined && sameRepository(home, repo)) return;
  if ((await registry.headManifest(repo, digest)) !== undefined) return;
  const { raw, manifest } = child.content ?? (await fetchContent(child));
  const blobs = [manifest.config, ...manifest.layers].filter(isDistributable);
  const transfers = await Promise.all(blobs.map((blob) => registry.copyBlob(child.from, repo, blob)));
  transfers.forEach(count);
  await registry.putManifest(repo, digest, raw);
  logger.info(`${formatRepository(repo)}: added ${child.kind} ${digest} from ${child.from.name}`);
}

async function fetchContent(child: Child): Promise<{ raw: RawManifest; manifest: ImageManifest }> {
  const raw = await child.from.manifest(child.descriptor.digest);
  const parsed = parseManifest(raw, `${child.source} → ${child.descriptor.digest}`);
  if (parsed.kind !== 'image') {
    throw new PublishError(`${child.descriptor.digest} in ${child.source} is not an image manifest`);
  }
  return { raw, manifest: parsed.manifest };
}

/** Foreign layers (with `urls`, such as Windows base layers) are not stored in registries. */
export function isDistributable(blob: Descriptor): boolean {
  return blob.urls === undefined || blob.urls.length === 0;
}
