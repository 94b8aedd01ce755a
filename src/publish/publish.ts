import { Memo } from '../common/memoize.js';
import type { LayoutContent, LayoutOpener } from '../oci/content-source.js';
import { platformKey } from '../oci/platform.js';
import { formatRepository, sameRepository, type RepositoryName } from '../oci/reference.js';
import type { RegistryApi, RepositoryAccess } from '../registry/api.js';
import { assembleIndex } from './index/assemble.js';
import { mergeIntoExisting, readExisting, warnLostPlatforms } from './index/append.js';
import type { Child } from './child.js';
import { combineChildren, missingPlatforms, requirePlatforms } from './index/combine.js';
import { PublishError } from './publish-errors.js';
import type { Logger } from '../common/logger.js';
import { pushChildren } from './copy/copy-children.js';
import { ReferrerCarrier } from './copy/carry-referrers.js';
import type { PublishRequest } from './request.js';
import { distinctRepositories } from './sources/choose-source.js';
import { resolveSource, type ResolveContext } from './sources/resolve-source.js';
import type { PublishedChild, PublishResult } from './result.js';
import { RunRecord } from './run-record.js';
import { moveTags, readCurrentTags } from './tags/move-tags.js';
import { checkVerifyOnly, requireSubjects } from './verify-only.js';

/**
 * The use case: resolve and prove every source, assemble the index, then (unless a dry run) copy every
 * child into every target repository and point every tag at the index. Everything that can fail
 * fails before the first tag moves, and tags move together or not at all. `record` is filled in as the run
 * goes, so a failure can still say how far it got and where every tag was left.
 */
export async function publish(
  request: PublishRequest,
  registry: RegistryApi,
  logger: Logger,
  record: RunRecord = new RunRecord(),
  openLayout: LayoutOpener = noLayouts,
): Promise<PublishResult> {
  // Each layout is opened once per run, however many sources name it; a layout that failed to open stays failed.
  const layouts = new Memo<LayoutContent>('remember');
  try {
    return await run(request, record, {
      targets: request.targets,
      registry,
      logger,
      prove: request.prove,
      ...(request.proveBudget === undefined ? {} : { proveBudget: request.proveBudget }),
      openLayout: (path, name) => layouts.get(path, () => openLayout(path, name)),
    });
  } finally {
    const settled = await Promise.allSettled(layouts.values());
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
  }
}

/** The opener of a caller that gives the use case no layout backend. */
async function noLayouts(path: string): Promise<LayoutContent> {
  throw new PublishError(`failed to open OCI layout ${path}: this run has no layout backend`);
}

async function run(
  request: PublishRequest,
  record: RunRecord,
  context: ResolveContext & { logger: Logger },
): Promise<PublishResult> {
  const { registry, logger } = context;
  const repos = distinctRepositories(request.targets);
  const [home] = repos;
  if (home === undefined) checkVerifyOnly(request);
  registry.declareAccess(accessFor(request, repos));
  // Independent of the sources: asked now so the answers are in when the tags are due.
  const currentTags = request.push ? readCurrentTags(request.targets, registry) : Promise.resolve([]);
  currentTags.catch(() => undefined); // awaited below; a failure before then must not go unhandled
  const dryRun = !request.push;
  record.tags = request.targets.map((reference) => ({ reference, status: dryRun ? 'dry-run' : 'untouched' }));
  record.step = 'resolve and verify sources';

  let fresh: Child[] = [];
  const children = await logger.group('Resolve and verify sources', async () => {
    const resolved = (
      await Promise.all(request.sources.map((source) => resolveSource(source, context)))
    ).flat();
    if (home === undefined && request.attestations === 'keep') requireSubjects(resolved);
    fresh = combineChildren(resolved);
    let entries = fresh;
    const [base] = request.targets;
    if (request.append && base !== undefined) {
      entries = mergeIntoExisting(await readExisting(base, context), entries);
    }
    if (request.attestations === 'drop') entries = entries.filter((child) => child.kind === 'image');
    record.children = entries.map(published);
    requirePlatforms(entries, request.platforms);
    if (!entries.some((child) => child.kind === 'image')) {
      throw new PublishError('nothing to publish: the sources hold no image');
    }
    entries.forEach((child) => logger.info(describe(child)));
    return entries;
  });

  const index = assembleIndex(children, request);
  record.index = index.digest;
  logger.info(`index ${index.digest} (${index.mediaType}, ${index.size} bytes)`);
  const result = (transfers: PublishResult['transfers'], referrers = 0): PublishResult => ({
    digest: index.digest,
    mediaType: index.mediaType,
    size: index.size,
    manifest: index.bytes,
    image: home === undefined ? '' : `${formatRepository(home)}@${index.digest}`,
    images: repos.map((repo) => `${formatRepository(repo)}@${index.digest}`),
    platforms: children.filter((c) => c.kind === 'image').map((c) => platformKey(c.platform)),
    required: request.platforms,
    missing: missingPlatforms(children, request.platforms),
    children: record.children,
    tags: record.tags,
    dryRun,
    transfers,
    referrers,
  });

  if (dryRun) {
    logger.info(
      home === undefined
        ? 'verify mode (push is false, no tags): the sources hold up; nothing was written'
        : 'push is false: nothing was written',
    );
    return result({ present: 0, mounted: 0, copied: 0 });
  }
  const carrier = new ReferrerCarrier(registry, logger);
  if (request.referrers === 'copy') {
    await Promise.all(children.map((child) => carrier.discover(child.from, child.descriptor.digest, repos)));
  }
  record.step = 'copy children';
  const transfers = await logger.group('Copy children to the target repositories', () =>
    pushChildren(children, repos, registry, logger, (child, repo) =>
      request.referrers === 'copy'
        ? carrier.carry(child.from, child.descriptor.digest, repo)
        : Promise.resolve(),
    ),
  );
  record.step = 'move tags';
  const early = await currentTags;
  await logger.group('Push tags', () => moveTags(index, early, { registry, logger, records: record.tags }));
  const [base] = request.targets;
  if (request.append && base !== undefined) await warnLostPlatforms(base, index.digest, fresh, context);
  return result(transfers, carrier.count);
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

/** A child as the result and the summary show it; `imageSize` only where the manifest was read. */
function published(child: Child): PublishedChild {
  const manifest = child.content?.manifest;
  return {
    kind: child.kind,
    platform: child.platform,
    digest: child.descriptor.digest,
    mediaType: child.descriptor.mediaType,
    size: child.descriptor.size,
    ...(manifest && {
      imageSize: manifest.layers.reduce((sum, layer) => sum + layer.size, manifest.config.size),
    }),
    source: child.source,
    ...(child.proven && { proven: child.proven }),
    ...(child.subject && { subject: child.subject }),
  };
}

function describe(child: Child): string {
  const what = child.kind === 'image' ? platformKey(child.platform) : `attestation for ${child.subject}`;
  return `${what}: ${child.descriptor.digest} from ${child.source}`;
}
