import { causeChain } from '../common/causes.js';

/**
 * What a content backend's failure means to the use case, whatever the backend: a registry's 404 and a layout's
 * missing entry are both `not-found`. The use case branches on these facts, never on HTTP statuses or error
 * classes of a backend.
 */
export type ContentFailure =
  /** No such manifest or blob (the repository exists, or cannot be told apart). */
  | 'not-found'
  /** No such repository. */
  | 'no-such-repository'
  /** The credentials may not do this (a registry's 401 that stands, or 403). */
  | 'access-refused'
  /** The backend does not offer the operation (a registry answering 405 or UNSUPPORTED). */
  | 'unsupported';

/** An error that knows which content failure it is; backends' errors implement it. */
export interface ContentFailureFact {
  readonly contentFailure: ContentFailure | undefined;
}

function hasFact(item: unknown): item is ContentFailureFact {
  return typeof item === 'object' && item !== null && 'contentFailure' in item;
}

/** The first content failure along the error's cause chain, if any error there knows one. */
export function contentFailureOf(error: unknown): ContentFailure | undefined {
  for (const item of causeChain(error)) {
    if (hasFact(item) && item.contentFailure !== undefined) return item.contentFailure;
  }
  return undefined;
}

/** True when the error says the manifest, blob or repository is not there. */
export function isContentNotFound(error: unknown): boolean {
  const failure = contentFailureOf(error);
  return failure === 'not-found' || failure === 'no-such-repository';
}
