import type { ContentSource, LayoutOpener } from '../../oci/content-source.js';
import type { RawManifest } from '../../oci/manifest.js';
import { formatRepository, manifestIdentifier, sameRepository } from '../../oci/reference.js';
import type { Reference, RepositoryName } from '../../oci/reference.js';
import type { RegistryApi } from '../../registry/api.js';
import { SourceNotFoundError } from '../publish-errors.js';
import type { SourceSpec } from '../request.js';
import { contentFailureOf, isContentNotFound } from '../../oci/content-failure.js';

/** What choosing a source's backend needs. */
export interface ChooseContext {
  targets: Reference[];
  registry: RegistryApi;
  /** Opens (once) the OCI layout at a path, called `name` in messages; the caller closes what it opened. */
  openLayout: LayoutOpener;
}

/** A source's backend and its root manifest: from here on, nothing asks where the content is. */
export interface ChosenSource {
  source: ContentSource;
  /** The manifest the `sources` entry names: an image, an index, or a layout's index.json. */
  root: RawManifest;
  /**
   * Levels of nested indexes the root's entries may expand. A layout's index.json lists what the layout holds,
   * so an index it lists (a multi-platform build) contributes its entries (1); a registry index nesting an index
   * is refused (0).
   */
  expandIndexes: number;
  /** What the root is called in messages. */
  container: 'index' | 'layout';
}

/**
 * The backend of one `sources` entry: the registry repository of a reference, the target repository that holds a
 * bare digest, or the OCI layout at a path.
 */
export async function chooseSource(spec: SourceSpec, context: ChooseContext): Promise<ChosenSource> {
  const { registry } = context;
  if (spec.kind === 'layout') {
    const layout = await context.openLayout(spec.path, spec.archive && `oci-layout:${spec.archive}`);
    return { source: layout, root: await layout.index(), expandIndexes: 1, container: 'layout' };
  }
  if (spec.kind === 'reference') {
    const source = registry.source(spec.reference);
    const root = await source.manifest(manifestIdentifier(spec.reference)).catch((error: unknown) => {
      throw isContentNotFound(error) ? notFound(spec, error) : error;
    });
    return inRepository(source, root);
  }
  const repos = distinctRepositories(context.targets);
  const found = await Promise.all(repos.map((repo) => registry.headManifest(repo, spec.digest)));
  const repo = repos[found.findIndex((info) => info !== undefined)];
  if (repo === undefined) {
    const names = repos.map(formatRepository).join(', ');
    throw new SourceNotFoundError(
      `source "${spec.text}": ${spec.digest} is in none of the target repositories (${names}); ` +
        'a bare digest must have been pushed by digest to a target repository first: check that the build ' +
        'pushed to the repository of the tags (push-by-digest=true,name=<that repository>)',
    );
  }
  const source = registry.source(repo);
  return inRepository(source, await source.manifest(spec.digest));
}

function notFound(spec: SourceSpec & { kind: 'reference' }, error: unknown): SourceNotFoundError {
  const { reference } = spec;
  const what = reference.digest ?? `tag ${reference.tag ?? 'latest'}`;
  const repository = formatRepository(reference);
  const todo = reference.digest
    ? 'check the digest is the one the build pushed, to this repository'
    : 'check the tag was pushed (the build ran with push: true, to this repository) and is spelled as pushed';
  return new SourceNotFoundError(
    `source "${spec.text}": ${repository} has no ${what}${contentFailureOf(error) === 'no-such-repository' ? ' (the repository does not exist)' : ''}; ${todo}`,
    { cause: error },
  );
}

/** A manifest read from a registry repository: an index there is a list of images, never of indexes. */
export function inRepository(source: ContentSource, root: RawManifest): ChosenSource {
  return { source, root, expandIndexes: 0, container: 'index' };
}

/** The target repositories in order, each once. */
export function distinctRepositories(targets: Reference[]): RepositoryName[] {
  const repos: RepositoryName[] = [];
  for (const target of targets) {
    if (!repos.some((repo) => sameRepository(repo, target))) {
      repos.push({ registry: target.registry, repository: target.repository });
    }
  }
  return repos;
}
