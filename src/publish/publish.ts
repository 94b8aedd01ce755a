import { Memo } from '../common/memoize.js';
import { openOciLayout, type OciLayout } from '../layout/oci-layout.js';
import { formatPlatform, platformKey } from '../oci/platform.js';
import { formatRepository, sameRepository, type RepositoryName } from '../oci/reference.js';
import type { RegistryApi, RepositoryAccess } from '../registry/api.js';
import { assembleIndex } from './assemble.js';
import { mergeIntoExisting, readExisting } from './append.js';
import type { Child } from './child.js';
import { combineChildren, requirePlatforms } from './combine.js';
import { PublishError } from './errors.js';
import type { PublishLogger } from './logger.js';
import { pushChildren, pushTags, readCurrentTags } from './push.js';
import type { PublishRequest } from './request.js';
import { distinctRepositories } from './choose-source.js';
import { resolveSource, type ResolveContext } from './resolve-source.js';
import type { PublishResult } from './result.js';

/**
 * The use case: resolve and prove every source, assemble the index, then (unless a dry run) copy every
 * child into every target repository and point every tag at the index. Everything that can fail
 * fails before the first tag moves.
 */
export async function publish(
  request: PublishRequest,
  registry: RegistryApi,
  logger: PublishLogger,
): Promise<PublishResult> {
  // Each layout is opened once per run, however many sources name it; a layout that failed to open stays failed.
  const layouts = new Memo<OciLayout>('remember');
  try {
    return await run(request, {
      targets: request.targets,
      registry,
      logger,
      openLayout: (path, name) => layouts.get(path, () => openOciLayout(path, name)),
    });
  } finally {
    const settled = await Promise.allSettled(layouts.values());
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
  }
}

async function run(
  request: PublishRequest,
  context: ResolveContext & { logger: PublishLogger },
): Promise<PublishResult> {
  const { registry, logger } = context;
  const repos = distinctRepositories(request.targets);
  const [home] = repos;
  if (home === undefined) throw new PublishError('no target: give at least one tag');
  registry.declareAccess(accessFor(request, repos));
  // Independent of the sources: asked now so the answers are in when the tags are due.
  const currentTags = request.push ? readCurrentTags(request.targets, registry) : Promise.resolve([]);
  currentTags.catch(() => undefined); // awaited below; a failure before then must not go unhandled

  const children = await logger.group('Resolve and verify sources', async () => {
    const resolved = await Promise.all(request.sources.map((source) => resolveSource(source, context)));
    let entries = combineChildren(resolved.flat());
    const [base] = request.targets;
    if (request.append && base !== undefined) {
      entries = mergeIntoExisting(await readExisting(base, context), entries);
    }
    if (request.attestations === 'drop') entries = entries.filter((child) => child.kind === 'image');
    requirePlatforms(entries, request.platforms);
    if (!entries.some((child) => child.kind === 'image')) {
      throw new PublishError('nothing to publish: the sources hold no image');
    }
    entries.forEach((child) => logger.info(describe(child)));
    return entries;
  });

  const index = assembleIndex(children, request);
  logger.info(`index ${index.digest} (${index.mediaType}, ${index.size} bytes)`);
  const result = (tags: PublishResult['tags'], transfers: PublishResult['transfers']): PublishResult => ({
    digest: index.digest,
    mediaType: index.mediaType,
    size: index.size,
    manifest: index.bytes,
    image: `${formatRepository(home)}@${index.digest}`,
    platforms: children.filter((c) => c.kind === 'image').map((c) => platformKey(c.platform)),
    children: children.map((child) => ({
      kind: child.kind,
      platform: child.platform,
      digest: child.descriptor.digest,
      mediaType: child.descriptor.mediaType,
      size: child.descriptor.size,
      source: child.source,
      ...(child.subject ? { subject: child.subject } : {}),
    })),
    tags,
    dryRun: !request.push,
    transfers,
  });

  if (!request.push) {
    logger.info('push is false: nothing was written');
    const tags = request.targets.map((reference) => ({ reference, status: 'dry-run' as const }));
    return result(tags, { present: 0, mounted: 0, copied: 0 });
  }
  const transfers = await logger.group('Copy children to the target repositories', () =>
    pushChildren(children, repos, registry, logger),
  );
  const current = await currentTags;
  const tags = await logger.group('Push tags', () =>
    pushTags(index, request.targets, current, registry, logger),
  );
  return result(tags, transfers);
}

/** Pull on every source repository, push (or pull, in a dry run) on every target. */
function accessFor(request: PublishRequest, repos: RepositoryName[]): RepositoryAccess[] {
  const access: RepositoryAccess[] = repos.map((repository) => ({ repository, push: request.push }));
  for (const source of request.sources) {
    if (source.kind !== 'reference') continue;
    if (!access.some((a) => sameRepository(a.repository, source.reference))) {
      access.push({ repository: source.reference, push: false });
    }
  }
  return access;
}

function describe(child: Child): string {
  const what = child.kind === 'image' ? formatPlatform(child.platform) : `attestation for ${child.subject}`;
  return `${what}: ${child.descriptor.digest} from ${child.source}`;
}
