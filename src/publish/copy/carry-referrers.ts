import { Memo } from '../../common/memoize.js';
import type { ContentSource } from '../../oci/content-source.js';
import type { Digest } from '../../oci/digest.js';
import { type Descriptor, type ParsedManifest, type RawManifest, parseManifest } from '../../oci/manifest.js';
import { MANIFEST_MEDIA_TYPES } from '../../oci/media-types.js';
import { formatRepository, sameRepository, type RepositoryName } from '../../oci/reference.js';
import { cosignTags, referrerDescriptor, referrersTag, subjectOf } from '../../oci/referrer-index.js';
import { ReferrersTagUpdates } from './referrers-tag.js';
import { type Carried, danglingRefusal, overwriteRefusal } from './referrer-admission.js';
import type { RegistryApi } from '../../registry/api.js';
import type { Logger } from '../../common/logger.js';
import { PublishError } from '../publish-errors.js';
import { isDistributable } from './copy-children.js';
import { contentFailureOf } from '../../oci/content-failure.js';
import { describeCause } from '../../common/causes.js';
import { ReferrersRefusedError } from '../publish-errors.js';
import type { CarriedReferrer } from '../result.js';

/**
 * How far referrers of referrers are followed: an image, its SBOM, a signature on the SBOM, and one more level.
 * A bound, because registry content decides the depth and could loop.
 */
const MAX_DEPTH = 4;

/** A manifest that refers to a subject, as found in the source: by digest, or under a cosign tag. */
interface Found {
  digest: Digest;
  /** The cosign tag it was found under: it is pushed under the same tag, since cosign finds it by tag. */
  tag?: string;
  /** Its bytes, when finding it read them already. */
  raw?: RawManifest;
}

/**
 * Carries what refers to a child (signatures, SBOMs, attestations: through the referrers API, the referrers tag
 * `sha256-<hex>`, cosign's `.sig`, `.att` and `.sbom` tags) from the child's source into a target repository, with
 * their blobs and their own referrers; each manifest once per target. Where the target registry does not index a
 * pushed referrer's subject itself, its referrers tag is updated. What the target holds is never overwritten, and
 * nothing that would dangle is pushed (`referrer-admission.ts`).
 */
export class ReferrerCarrier {
  readonly #registry: RegistryApi;
  readonly #logger: Logger;
  /** Per registry: whether it has the referrers API (one 404 answers it for the whole registry). */
  readonly #api = new Memo<boolean>('retry');
  /** Per source repository: its tags, or undefined when the registry does not list them. */
  readonly #tags = new Memo<ReadonlySet<string> | undefined>('retry');
  readonly #found = new Memo<Found[]>('retry');
  /** Per target repository and digest: what carrying it came to. */
  readonly #carried = new Memo<Carried>('retry');
  readonly #referrersTags: ReferrersTagUpdates;
  readonly #pushed: CarriedReferrer[] = [];

  constructor(registry: RegistryApi, logger: Logger) {
    this.#registry = registry;
    this.#logger = logger;
    this.#referrersTags = new ReferrersTagUpdates(registry, logger);
  }

  /** The referrer manifests pushed, over every target repository, in the order they were. */
  get carried(): CarriedReferrer[] {
    return [...this.#pushed];
  }

  /**
   * Looks up what refers to `subject` in `from`, for the targets it is not in yet; called for every child before
   * anything is written, so a source that refuses the lookup fails the run while nothing has changed.
   */
  async discover(from: ContentSource, subject: Digest, repos: RepositoryName[]): Promise<void> {
    const home = from.repository;
    if (home === undefined || repos.every((repo) => sameRepository(home, repo))) return;
    try {
      await this.#found.get(`${from.name}@${subject}`, () => this.#find(from, home, subject));
    } catch (error) {
      if (contentFailureOf(error) !== 'access-refused') throw error;
      // The images may be readable while the lookups are not (a token scoped to pulls by digest, a registry that
      // guards its referrers API): say how to publish anyway.
      throw new ReferrersRefusedError(
        `failed to look up what refers to ${subject} in ${from.name}: ${describeCause(error)}; to publish ` +
          `without carrying what refers to ${subject} (signatures, SBOMs, attestations), set referrers: skip`,
        { cause: error },
      );
    }
  }

  /**
   * Makes what refers to `subject` in `from` present in `repo`. Nothing to do when `from` is `repo` itself, and
   * nothing is looked for in an OCI layout (a layout has no tags or referrers API to find them by).
   */
  async carry(from: ContentSource, subject: Digest, repo: RepositoryName, depth = 1): Promise<void> {
    const home = from.repository;
    if (home === undefined || sameRepository(home, repo)) return;
    const found = await this.#found.get(`${from.name}@${subject}`, () => this.#find(from, home, subject));
    const unindexed = await Promise.all(found.map((f) => this.#carryOne(f, from, subject, repo, depth)));
    const listed = unindexed.filter((d): d is Descriptor => d !== undefined);
    if (listed.length > 0) await this.#referrersTags.add(repo, subject, listed);
  }

  async #find(from: ContentSource, home: RepositoryName, subject: Digest): Promise<Found[]> {
    const [viaApi, tags] = await Promise.all([this.#viaApi(home, subject), this.#tagsOf(home)]);
    // A registry that does not list tags (ECR without ecr:ListImages) is asked about each tag instead.
    const exists = async (tag: string): Promise<boolean> =>
      tags?.has(tag) ?? (await this.#registry.headManifest(home, tag)) !== undefined;
    const fallback = referrersTag(subject);
    const listed = async (): Promise<Descriptor[]> =>
      viaApi ?? ((await exists(fallback)) ? this.#readReferrersTag(from, fallback, subject) : []);
    const cosigned = async (tag: string): Promise<Found[]> => {
      if (!(await exists(tag))) return [];
      const raw = await from.manifest(tag);
      return [{ digest: raw.digest, tag, raw }];
    };
    const [byDigest, byTag] = await Promise.all([listed(), Promise.all(cosignTags(subject).map(cosigned))]);
    // Tagged first: a manifest found both ways keeps its tag, which cosign needs.
    const found: Found[] = [
      ...byTag.flat(),
      ...byDigest.filter((d) => this.#canCarry(d, from)).map((d) => ({ digest: d.digest })),
    ];
    return found.filter((f, i) => found.findIndex((o) => o.digest === f.digest) === i);
  }

  /** Manifests of other types (the withdrawn OCI artifact manifest) cannot be pushed everywhere: left, with a word. */
  #canCarry(descriptor: Descriptor, from: ContentSource): boolean {
    if (MANIFEST_MEDIA_TYPES.includes(descriptor.mediaType)) return true;
    this.#logger.warning(
      `referrer ${descriptor.digest} in ${from.name} is a ${JSON.stringify(descriptor.mediaType)}, ` +
        'not an image manifest or index; it is not carried',
    );
    return false;
  }

  /** The referrers API's answer, asked of each registry once before the other lookups go ahead in parallel. */
  async #viaApi(home: RepositoryName, subject: Digest): Promise<Descriptor[] | undefined> {
    let first: Promise<Descriptor[] | undefined> | undefined;
    const supported = await this.#api.get(home.registry, async () => {
      first = this.#registry.referrers(home, subject);
      return (await first) !== undefined;
    });
    if (first !== undefined) return first;
    return supported ? this.#registry.referrers(home, subject) : undefined;
  }

  #tagsOf(repo: RepositoryName): Promise<ReadonlySet<string> | undefined> {
    return this.#tags.get(formatRepository(repo), async () => {
      const tags = await this.#registry.listTags(repo);
      return tags && new Set(tags);
    });
  }

  /** The descriptors the referrers tag lists. GitLab answers the subject itself for it (oras-go#1396). */
  async #readReferrersTag(from: ContentSource, tag: string, subject: Digest): Promise<Descriptor[]> {
    const raw = await from.manifest(tag);
    if (raw.digest === subject) {
      this.#logger.warning(
        `${from.name} answers its referrers tag ${tag} with ${subject} itself (GitLab reads the tag as a digest): ` +
          'what is attached to it by subject cannot be found there, and is not carried',
      );
      return [];
    }
    const parsed = parseManifest(raw, `${from.name}:${tag}`);
    return parsed.kind === 'index' ? parsed.index.manifests : [];
  }

  /**
   * Pushes one referrer (after its blobs, or child manifests for an index) unless the target has it, then its own
   * referrers. Returns its descriptor when the target registry left its subject unindexed.
   */
  async #carryOne(
    found: Found,
    from: ContentSource,
    subject: Digest,
    repo: RepositoryName,
    depth: number,
  ): Promise<Descriptor | undefined> {
    const reference = found.tag ?? found.digest;
    const key = `${formatRepository(repo)}:${reference}@${found.digest}`;
    const carried = await this.#carried.get(key, async (): Promise<Carried> => {
      const present = await this.#registry.headManifest(repo, reference);
      if (present?.digest === found.digest) return { inTarget: true };
      const target = formatRepository(repo);
      const candidate = { digest: found.digest, tag: found.tag, from: from.name };
      const kept = overwriteRefusal(candidate, target, present?.digest);
      if (kept !== undefined) {
        this.#logger.warning(kept);
        return { inTarget: false };
      }
      const raw = found.raw ?? (await from.manifest(found.digest));
      const parsed = parseManifest(raw, `${from.name}@${found.digest}`);
      const about = subjectOf(parsed);
      const dangling = danglingRefusal(candidate, subject, about);
      if (dangling !== undefined) {
        this.#logger.warning(dangling);
        return { inTarget: false };
      }
      await this.#copyContent(parsed, from, repo, depth);
      const pushed = await this.#registry.putReferrer(repo, reference, raw);
      const { artifactType } = referrerDescriptor(parsed);
      this.#pushed.push({
        repository: formatRepository(repo),
        digest: found.digest,
        subject,
        ...(artifactType !== undefined && { artifactType }),
        ...(found.tag !== undefined && { tag: found.tag }),
      });
      this.#logger.info(
        `${target}: added referrer ${found.digest}${found.tag ? ` (${found.tag})` : ''} of ${subject} from ` +
          from.name,
      );
      return {
        inTarget: true,
        unindexed: about === subject && !pushed.subjectIndexed ? referrerDescriptor(parsed) : undefined,
      };
    });
    if (carried.inTarget && depth < MAX_DEPTH) await this.carry(from, found.digest, repo, depth + 1);
    return carried.unindexed;
  }

  /** What the manifest needs in the target before it can be pushed: its blobs, or (an index) its manifests. */
  async #copyContent(
    parsed: ParsedManifest,
    from: ContentSource,
    repo: RepositoryName,
    depth: number,
  ): Promise<void> {
    if (parsed.kind === 'image') {
      const { config, layers } = parsed.manifest;
      const blobs = [config, ...layers].filter(isDistributable);
      await Promise.all(blobs.map((blob) => this.#registry.copyBlob(from, repo, blob)));
      return;
    }
    if (depth > MAX_DEPTH) {
      throw new PublishError(
        `${parsed.raw.digest} in ${from.name} nests indexes more than ${MAX_DEPTH} deep; it is not carried`,
      );
    }
    await Promise.all(
      parsed.index.manifests.map(async ({ digest }) => {
        if ((await this.#registry.headManifest(repo, digest)) !== undefined) return;
        const raw = await from.manifest(digest);
        await this.#copyContent(parseManifest(raw, `${from.name}@${digest}`), from, repo, depth + 1);
        await this.#registry.putManifest(repo, digest, raw);
      }),
    );
  }
}
