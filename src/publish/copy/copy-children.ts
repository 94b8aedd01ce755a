import { parseManifest, type Descriptor, type ImageManifest, type RawManifest } from '../../oci/manifest.js';
import { formatRepository, sameRepository } from '../../oci/reference.js';
import type { RepositoryName } from '../../oci/reference.js';
import type { BlobTransfer, RegistryApi } from '../../registry/api.js';
import type { Logger } from '../../common/logger.js';
import type { Child } from '../child.js';
import { PublishError } from '../publish-errors.js';
import { Memo } from '../../common/memoize.js';
import type { Digest } from '../../oci/digest.js';
import type { ContentSource } from '../../oci/content-source.js';
import type { TransferCounts } from '../result.js';

/**
 * Whether each child manifest is already in a target repository, asked once per child and repository: early (as
 * soon as the image's manifest is read, while it is being proven), so the answers are in when the copies start. A
 * failed answer is asked again by the copy, and reported there.
 */
export class ChildPresence {
  readonly #answers = new Memo<boolean>('retry');

  constructor(private readonly registry: RegistryApi) {}

  /** Asks now whether the manifest `digest` read from `from` is in each of `repos` (not its own: it is there). */
  askEarly(from: ContentSource, digest: Digest, repos: RepositoryName[]): void {
    for (const repo of repos) {
      if (!isHomeOf(from, repo)) this.isPresent(repo, digest).catch(() => undefined);
    }
  }

  isPresent(repo: RepositoryName, digest: Digest): Promise<boolean> {
    return this.#answers.get(
      `${formatRepository(repo)}@${digest}`,
      async () => (await this.registry.headManifest(repo, digest)) !== undefined,
    );
  }
}

/** A child read from this very repository is there already. */
function isHomeOf(from: ContentSource, repo: RepositoryName): boolean {
  const home = from.repository;
  return home !== undefined && sameRepository(home, repo);
}

export interface PushOptions {
  registry: RegistryApi;
  logger: Logger;
  /** Where the answers asked early are; a fresh one asks as each child is copied. */
  presence?: ChildPresence;
  /** Runs for each child once it is present in a repository (what refers to it goes there next). */
  alongside?: (child: Child, repo: RepositoryName) => Promise<void>;
}

/**
 * Makes every child present in every target repository: images first, then the attestations that
 * describe them, each manifest after its blobs. Nothing here touches a tag.
 */
export async function pushChildren(
  children: Child[],
  repos: RepositoryName[],
  options: PushOptions,
): Promise<TransferCounts> {
  const { registry, logger } = options;
  const presence = options.presence ?? new ChildPresence(registry);
  const alongside = options.alongside ?? (async () => undefined);
  const counts: TransferCounts = { present: 0, mounted: 0, copied: 0 };
  const count = (transfer: BlobTransfer): void => {
    counts[transfer] += 1;
  };
  await Promise.all(
    repos.map(async (repo) => {
      const images = children.filter((child) => child.kind === 'image');
      const attestations = children.filter((child) => child.kind === 'attestation');
      const ensure = async (child: Child): Promise<void> => {
        await ensureChild(child, repo, { registry, logger, presence }, count);
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
  { registry, logger, presence }: Required<Omit<PushOptions, 'alongside'>>,
  count: (transfer: BlobTransfer) => void,
): Promise<void> {
  const digest = child.descriptor.digest;
  if (isHomeOf(child.from, repo) || (await presence.isPresent(repo, digest))) return;
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
