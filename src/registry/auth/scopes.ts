import type { RepositoryName } from '../../oci/reference.js';
import { ReportedError } from '../../common/reported-error.js';
/** A repository the run will read, or also write (`push`): what the token for its registry must cover. */
export interface RepositoryAccess {
  repository: RepositoryName;
  push: boolean;
}

/** What a token is asked to allow on a repository. */
export type Action = 'pull' | 'push' | 'delete';

/** One resource scope of a token request: `repository:acme/app:pull,push`. */
export interface Scope {
  resourceType: string;
  name: string;
  actions: string[];
}

/** A scope string that does not follow `type:name:action[,action]` (distribution `auth/scope.md`). */
export class InvalidScopeError extends ReportedError {
  readonly title = 'Invalid registry scope';
  override name = 'InvalidScopeError';
}

/** The scope for `actions` on `repository` (its path, e.g. `library/alpine`). */
export function repositoryScope(repository: string, actions: Action[]): Scope {
  return { resourceType: 'repository', name: repository, actions: canonicalActions(actions) };
}

const RESOURCE_TYPE = /^[a-z0-9]+(?:\([a-z0-9]+\))?$/;
const ACTION = /^(?:[a-z]+|\*)$/;

/**
 * Parses a space-separated scope list. The name is everything between the first and the last `:`, so it may
 * hold one `:` of its own (a `host:port/` prefix) but not two.
 */
export function parseScopes(text: string): Scope[] {
  return text
    .split(/\s+/)
    .filter((item) => item !== '')
    .map(parseScope);
}

function parseScope(text: string): Scope {
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  const resourceType = text.slice(0, first);
  const name = text.slice(first + 1, last);
  const actions = text.slice(last + 1).split(',');
  const expected = 'expected "type:name:action[,action]", e.g. "repository:acme/app:pull"';
  if (first === last || !RESOURCE_TYPE.test(resourceType) || name === '') {
    throw new InvalidScopeError(`invalid scope "${text}": ${expected}`);
  }
  if (name.split(':').length > 2) {
    throw new InvalidScopeError(`invalid scope "${text}": the name may contain one ":" (a port), not more`);
  }
  if (!actions.every((action) => ACTION.test(action))) {
    throw new InvalidScopeError(
      `invalid scope "${text}": actions must be lowercase words or "*"; ${expected}`,
    );
  }
  return { resourceType, name, actions: canonicalActions(actions) };
}

/** `repository:acme/app:pull,push`; actions deduplicated and sorted, so equal scopes format equally. */
export function formatScope(scope: Scope): string {
  return `${scope.resourceType}:${scope.name}:${canonicalActions(scope.actions).join(',')}`;
}

/**
 * The union of both lists, one scope per resource with the union of its actions. Scopes granting `push` come
 * first, because some registries only look at the first scope; otherwise first-seen order is kept.
 */
export function mergeScopes(current: Scope[], added: Scope[]): Scope[] {
  const byResource = new Map<string, Scope>();
  for (const scope of [...current, ...added]) {
    const key = resourceKey(scope);
    const known = byResource.get(key);
    byResource.set(key, {
      resourceType: scope.resourceType,
      name: scope.name,
      actions: canonicalActions([...(known?.actions ?? []), ...scope.actions]),
    });
  }
  const merged = [...byResource.values()];
  return [...merged.filter(grantsPush), ...merged.filter((scope) => !grantsPush(scope))];
}

/** True when every action `wanted` asks for on a resource is in `granted` for that resource. */
export function scopesCover(granted: Scope[], wanted: Scope[]): boolean {
  const actions = new Map(mergeScopes([], granted).map((scope) => [resourceKey(scope), scope.actions]));
  return wanted.every((scope) => {
    const have = actions.get(resourceKey(scope)) ?? [];
    return scope.actions.every((action) => have.includes(action));
  });
}

/** A key that is equal for equal scope sets, whatever their order, duplicates or action order. */
export function scopeSetKey(scopes: Scope[]): string {
  return mergeScopes([], scopes).map(formatScope).sort().join(' ');
}

function resourceKey(scope: Scope): string {
  return `${scope.resourceType}:${scope.name}`;
}

function grantsPush(scope: Scope): boolean {
  return scope.actions.includes('push');
}

function canonicalActions(actions: readonly string[]): string[] {
  return [...new Set(actions)].sort();
}
