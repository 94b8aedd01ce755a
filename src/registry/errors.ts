import { ReportedError } from '../common/reported-error.js';
import { RATE_LIMIT_HEADERS, refusalHints, type CredentialSource } from './error-hints.js';

export type { CredentialSource };

/** One entry of a distribution error body: `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"…","detail":…}]}`. */
export interface RegistryErrorEntry {
  code: string;
  message?: string;
  detail?: unknown;
}

/** What a RegistryError records about the failed exchange. */
export interface RegistryErrorDetails {
  method: string;
  url: URL | string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  errors?: RegistryErrorEntry[];
  headers?: Record<string, string>;
  /** On a 401: the credentials the registry refused, set where the 401 is seen. */
  credentialSource?: CredentialSource;
  cause?: unknown;
}

const STATUS_WORDS: Record<number, string> = {
  401: 'authentication failed',
  403: 'access denied',
  404: 'not found',
  429: 'rate limited',
};

/** A registry request that failed: a network failure (status 0) or an unexpected HTTP status. */
export class RegistryError extends ReportedError {
  override name = 'RegistryError';
  readonly method: string;
  /** The request URL with credentials and signatures redacted. */
  readonly url: string;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  readonly errors: RegistryErrorEntry[];
  /** The response headers worth keeping for diagnosis (see `DIAGNOSTIC_HEADERS`). */
  readonly headers: Record<string, string>;
  readonly credentialSource: CredentialSource | undefined;

  constructor(message: string, details: RegistryErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.method = details.method;
    this.url = redactUrl(details.url);
    this.status = details.status;
    this.errors = details.errors ?? [];
    this.headers = details.headers ?? {};
    this.credentialSource = details.credentialSource;
  }

  /** This error with another message, or with the credentials a 401 refused; fields and cause are kept. */
  restated(
    message: string,
    extra: Pick<RegistryErrorDetails, 'credentialSource' | 'cause'> = {},
  ): RegistryError {
    const { method, url, status, errors, headers, credentialSource, cause } = this;
    return new RegistryError(message, {
      method,
      url,
      status,
      errors,
      headers,
      credentialSource,
      cause,
      ...extra,
    });
  }

  /** `Registry access denied (403 DENIED)`: the status in words, the status and the registry's codes. */
  get title(): string {
    if (this.status === 0) return 'Registry unreachable';
    const words = STATUS_WORDS[this.status] ?? (this.status >= 500 ? 'server error' : 'request failed');
    const codes = this.codes.length > 0 ? ` ${this.codes.join(', ')}` : '';
    return `Registry ${words} (${this.status}${codes})`;
  }

  /** The distribution error codes, in body order. */
  get codes(): string[] {
    return this.errors.map((entry) => entry.code);
  }

  hasCode(code: string): boolean {
    return this.errors.some((entry) => entry.code === code);
  }

  override hints(): string[] {
    const { url, status, codes, headers, credentialSource } = this;
    return refusalHints({ url, status, codes, headers, credentialSource });
  }
}

/** Response headers copied onto a RegistryError: the ones that explain a refusal or a throttle. */
export const DIAGNOSTIC_HEADERS = ['www-authenticate', ...RATE_LIMIT_HEADERS] as const;

/** Picks the DIAGNOSTIC_HEADERS present in `headers` (lowercase names). */
export function diagnosticHeaders(headers: Record<string, string>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of DIAGNOSTIC_HEADERS) {
    const value = headers[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/** Parses a distribution error body; anything that is not `{"errors":[…]}` JSON yields `[]`. */
export function parseRegistryErrorBody(text: string): RegistryErrorEntry[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isRecord(body) || !Array.isArray(body.errors)) return [];
  return body.errors.filter(isRecord).map((entry) => {
    const parsed: RegistryErrorEntry = { code: typeof entry.code === 'string' ? entry.code : 'UNKNOWN' };
    if (typeof entry.message === 'string') parsed.message = entry.message;
    if (entry.detail !== undefined) parsed.detail = entry.detail;
    return parsed;
  });
}

/** `CODE: message; CODE2: message2` — the part of an error message that quotes the registry. */
export function formatRegistryErrors(errors: RegistryErrorEntry[]): string {
  return errors.map((entry) => (entry.message ? `${entry.code}: ${entry.message}` : entry.code)).join('; ');
}

// Upload session state, presigned-URL signatures and credentials, tokens: none of it belongs in a log.
const SECRET_QUERY_PARAM = /^_state$|sig|token|credential|secret|password|^policy$|^key$|key-pair-id|^code$/i;

/** The URL without userinfo, and with the values of secret-looking query parameters replaced by `redacted`. */
export function redactUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL: keep what cannot hold a secret (no userinfo, no query).
    return String(url)
      .replace(/\/\/[^/@]*@/, '//')
      .replace(/\?.*$/, '?redacted');
  }
  parsed.username = '';
  parsed.password = '';
  if (parsed.search) {
    // Rewrite pairs by hand so the other parameters keep their original encoding.
    const pairs = parsed.search.slice(1).split('&');
    parsed.search = pairs.map(redactQueryPair).join('&');
  }
  return parsed.href;
}

function redactQueryPair(pair: string): string {
  const separator = pair.indexOf('=');
  if (separator < 0) return pair;
  const rawName = pair.slice(0, separator);
  return SECRET_QUERY_PARAM.test(decodeQueryName(rawName)) ? `${rawName}=redacted` : pair;
}

function decodeQueryName(rawName: string): string {
  try {
    return decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    return rawName;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A one-line description of an error, with its code when the message lacks it. Duck-typed: errors from Node's
 * internals may come from another realm, and undici's connect failures can be AggregateErrors without a message.
 */
export function describeCause(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, code, errors } = error as { message?: unknown; code?: unknown; errors?: unknown };
  const text = typeof message === 'string' ? message.replace(/\s+/g, ' ').trim() : '';
  const codeText = typeof code === 'string' ? code : '';
  if (text) return codeText && !text.includes(codeText) ? `${text} (${codeText})` : text;
  if (Array.isArray(errors) && errors.length > 0) return errors.map(describeCause).join('; ');
  return codeText || String(error);
}
