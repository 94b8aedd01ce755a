import { OciError } from '../oci/errors.js';
import { PublishError } from '../publish/errors.js';
import { AuthenticationError } from '../registry/auth/errors.js';
import { DockerConfigError } from '../registry/credentials/config-file.js';
import { CredentialHelperError } from '../registry/credentials/helper.js';
import { RegistryError } from '../registry/errors.js';
import { InputError } from './input-error.js';
import { registryHints } from './registry-hints.js';
import { OciLayoutError, TarFormatError } from '../layout/errors.js';

/** A failure as the run reports it: an annotation title and a message (causes and hints included, no stack). */
export interface ErrorDescription {
  title: string;
  message: string;
}

const MAX_CAUSES = 10;
const STATUS_WORDS: Record<number, string> = {
  401: 'authentication failed',
  403: 'access denied',
  404: 'not found',
  429: 'rate limited',
};

/**
 * Describes a failure for the user. `credentialSources` (registry → where its credentials came from) lets a 401
 * say which credentials were refused.
 */
export function describeError(
  error: unknown,
  credentialSources: ReadonlyMap<string, string> = new Map(),
): ErrorDescription {
  const message = messageWithCauses(error);
  const registryError = causeChain(error).find((item) => item instanceof RegistryError);
  if (registryError) {
    const hints = registryHints(registryError, credentialSources);
    return { title: registryTitle(registryError), message: [message, ...hints].join('\n') };
  }
  return { title: titleOf(error), message };
}

function titleOf(error: unknown): string {
  if (error instanceof InputError) return 'Invalid input';
  if (error instanceof PublishError) return 'Publish refused';
  if (error instanceof AuthenticationError) return 'Authentication failed';
  if (error instanceof DockerConfigError) return 'Invalid Docker config';
  if (error instanceof CredentialHelperError) return 'Credential helper failed';
  if (error instanceof OciError) return 'Invalid image content';
  if (error instanceof OciLayoutError || error instanceof TarFormatError) return 'Invalid OCI layout';
  return 'Publish failed';
}

function registryTitle(error: RegistryError): string {
  if (error.status === 0) return 'Registry unreachable';
  const words = STATUS_WORDS[error.status] ?? (error.status >= 500 ? 'server error' : 'request failed');
  const codes = error.codes.length > 0 ? ` ${error.codes.join(', ')}` : '';
  return `Registry ${words} (${error.status}${codes})`;
}

/** The error's message followed by each cause's, skipping any a message already quotes. */
export function messageWithCauses(error: unknown): string {
  const parts: string[] = [];
  for (const item of causeChain(error)) {
    const text = ownMessage(item);
    if (text !== '' && !parts.some((part) => part.includes(text))) parts.push(text);
  }
  return parts.join(': ') || 'unknown error';
}

/** The error, its cause, the cause's cause…; bounded, so a cause cycle cannot loop. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let item = error; item !== undefined && chain.length < MAX_CAUSES && !chain.includes(item);) {
    chain.push(item);
    item = isErrorLike(item) ? item.cause : undefined;
  }
  return chain;
}

function ownMessage(item: unknown): string {
  if (!isErrorLike(item)) return String(item);
  // Node's connection errors are AggregateErrors with an empty message: the attempts hold the story.
  if (item.message === '' && Array.isArray(item.errors)) {
    return item.errors.map((inner) => ownMessage(inner)).join('; ');
  }
  return item.message || String(item.name ?? 'Error');
}

type ErrorLike = { message: string; name?: unknown; cause?: unknown; errors?: unknown };

// Duck-typed, not `instanceof Error`: errors may come from another realm (a vm context, a worker).
function isErrorLike(item: unknown): item is ErrorLike {
  return (
    typeof item === 'object' && item !== null && typeof (item as { message?: unknown }).message === 'string'
  );
}
