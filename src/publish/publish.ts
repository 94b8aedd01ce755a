import { Memo } from '../common/memoize.js';
import type { Digest } from '../oci/digest.js';
import type { ContentSource, LayoutContent, LayoutOpener } from '../oci/content-source.js';
import type { BuiltIndex } from '../oci/index-builder.js';
import type { RawManifest } from '../oci/manifest.js';
import { platformKey } from '../oci/platform.js';
import { formatRepository, sameRepository, type RepositoryName } from '../oci/reference.js';
import type { RegistryApi, RepositoryAccess } from '../registry/api.js';
import { assembleIndex } from './index/assemble.js';
import { mergeIntoExisting, readExisting, warnLostPlatforms } from './index/append.js';
import type { Child } from './child.js';
import { combineChildren, missingPlatforms, requirePlatforms } from './index/combine.js';
import { CheckFailedError, PublishError } from './publish-errors.js';
import type { Logger } from '../common/logger.js';
import { ChildPresence, pushChildren } from './copy/copy-children.js';
import { ReferrerCarrier } from './copy/carry-referrers.js';
import type { PublishRequest } from './request.js';
import { distinctRepositories } from './sources/choose-source.js';
import type { ResolveContext } from './sources/resolve-source.js';
import { resolveAll } from './sources/resolve-all.js';
import type { PublishResult } from './result.js';
import { published, RunRecord } from './run-record.js';
import { moveTags, readCurrentTags, type TagBounds } from './tags/move-tags.js';
import { checkVerifyOnly, requireSubjects } from './verify-only.js';
import { KeptBlobs } from './sources/kept-blobs.js';

/**
 * The use case: resolve and prove every source, assemble the index, then (unless a dry run) copy every
 * child into every target repository and point every tag at the index. Everything that can fail
 * fails before the first tag moves, and tags move together or not at all. `record` is filled in as the run
 * goes, so a failure can still say how far it got and where every tag was left. `bounds` hears when the tag
 * writes are over, so the caller can give the read-back and any put-back a bound of their own.
 */
export async function publish(
  request: PublishRequest,
  registry: RegistryApi,
  logger: Logger,
  record: RunRecord = new RunRecord(),
  openLayout: LayoutOpener = noLayouts,
  bounds?: TagBounds,
): Promise<PublishResult> {
  // Each layout is opened once per run, however many sources name it; a layout that failed to open stays failed.
  const layouts = new Memo<LayoutContent>('remember');
  try {
    return await run(request, record, bounds, {
      targets: request.targets,
      registry,
      logger,
      prove: request.prove,
      kept: new KeptBlobs(new Set(request.targets.map((target) => target.registry))),
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
  bounds: TagBounds | undefined,
  context: ResolveContext & { logger: Logger },
): Promise<PublishResult> {
  const { registry, logger } = context;
  // Whether each image is in each target repository is asked as soon as its manifest is read, while it is proven.
  const presence = new ChildPresence(registry);
  const onImage = request.push
    ? (from: ContentSource, digest: Digest): void => presence.askEarly(from, digest, repos)
    : undefined;
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

  const carrier = new ReferrerCarrier(registry, logger);
  const carries = request.push && request.referrers === 'copy';
  // What refers to each child is looked up as soon as its source is resolved, while the other sources are still
  // being read and proven: the answers are in when the copies start. A failure here is met again, and reported,
  // where every child's lookup is awaited below, before anything is written.
  const discoverEarly = (resolved: Child[]): void => {
    if (!carries) return;
    for (const child of resolved) {
      if (request.attestations === 'drop' && child.kind !== 'image') continue;
      carrier.discover(child.from, child.descriptor.digest, repos).catch(() => undefined);
    }
  };

  let fresh: Child[] = [];
  let verified: RawManifest | undefined;
  let verifiedIn: string | undefined;
  let mergedInto: Digest | undefined;
  const children = await logger.group('Resolve and verify sources', async () => {
    const resolving = onImage === undefined ? context : { ...context, onImage };
    const sources = await resolveAll(request.sources, resolving, record, discoverEarly);
    const resolved = sources.flatMap((source) => source.children);
    // Verify mode on one index as it stands: what was verified is that index, not one rebuilt from its entries.
    if (home === undefined && sources.length === 1) verified = sources[0]?.index;
    const [only] = request.sources;
    if (verified !== undefined && only?.kind === 'reference') verifiedIn = formatRepository(only.reference);
    if (home === undefined && request.attestations === 'keep') requireSubjects(resolved);
    fresh = combineRecorded(resolved, record);
    let entries = fresh;
    const [base] = request.targets;
    if (request.append && base !== undefined) {
      const existing = await readExisting(base, context);
      mergedInto = existing.digest;
      entries = mergeIntoExisting(existing.children, entries);
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

  const built = assembleIndex(children, request);
  const index: BuiltIndex = verified === undefined ? built : { ...verified, size: verified.bytes.byteLength };
  record.index = index.digest;
  logger.info(
    verified === undefined
      ? `index ${index.digest} (${index.mediaType}, ${index.size} bytes)`
      : `verified index ${index.digest} (${index.mediaType}, ${index.size} bytes), as it stands`,
  );
  const result = (
    transfers: PublishResult['transfers'],
    referrers: PublishResult['referrers'] = [],
  ): PublishResult => ({
    digest: index.digest,
    mediaType: index.mediaType,
    size: index.size,
    manifest: index.bytes,
    image: home === undefined || dryRun ? '' : `${formatRepository(home)}@${index.digest}`,
    images: dryRun ? [] : repos.map((repo) => `${formatRepository(repo)}@${index.digest}`),
    ...(verifiedIn !== undefined && { verifiedIndex: `${verifiedIn}@${index.digest}` }),
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
  if (carries) {
    await Promise.all(children.map((child) => carrier.discover(child.from, child.descriptor.digest, repos)));
  }
  record.step = 'copy children';
  const transfers = await logger.group('Copy children to the target repositories', () =>
    pushChildren(children, repos, {
      registry,
      logger,
      presence,
      alongside: (child, repo) =>
        request.referrers === 'copy'
          ? carrier.carry(child.from, child.descriptor.digest, repo)
          : Promise.resolve(),
    }),
  );
  record.step = 'move tags';
  // append merged into what it read: its tag is asked again just before the write, so the check after the move
  // knows what this run replaced.
  const early = (await currentTags).map((state, i) =>
    request.append && i === 0 ? { ...state, answeredAt: Number.NEGATIVE_INFINITY } : state,
  );
  await logger.group('Push tags', () =>
    moveTags(built, early, { registry, logger, records: record.tags, bounds }),
  );
  const [base] = request.targets;
  const [baseTag] = record.tags;
  if (request.append && base !== undefined) {
    const move = { mergedInto, replaced: baseTag?.previous, index: index.digest };
    const held = await warnLostPlatforms(base, move, fresh, context);
    // Replaced since the read-back: the outputs and the summary must not name it as holding the index.
    if (baseTag !== undefined && held !== undefined && held !== index.digest) {
      baseTag.status = 'taken';
      baseTag.now = held;
    }
  }
  return result(transfers, carrier.carried);
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

/** The index entries in order, or a failed check recorded against every image read before it is thrown. */
function combineRecorded(children: Child[], record: RunRecord): Child[] {
  try {
    return combineChildren(children);
  } catch (error) {
    if (error instanceof CheckFailedError) record.read(error.proven, error.failed);
    throw error;
  }
}

function describe(child: Child): string {
  const what = child.kind === 'image' ? platformKey(child.platform) : `attestation for ${child.subject}`;
  return `${what}: ${child.descriptor.digest} from ${child.source}`;
}
