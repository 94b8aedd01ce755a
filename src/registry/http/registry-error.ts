import { ReportedError } from '../../common/reported-error.js';
import { redactUrl } from '../../common/redact.js';
import type { ContentFailure, ContentFailureFact } from '../../oci/content-failure.js';
import { RATE_LIMIT_HEADERS, refusalHints, type CredentialSource } from './refusal-hints.js';

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
  403: 'access denied',
  404: 'not found',
  429: 'rate limited',
};

/** A registry request that failed: a network failure (status 0) or an unexpected HTTP status. */
export class RegistryError extends ReportedError implements ContentFailureFact {
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

  /**
   * `Registry access denied (403 DENIED)`: the status in words, the status and the registry's codes. A 401 is
   * titled as every authentication failure is, whether a registry (Basic) or its token server (Bearer) refused.
   */
  get title(): string {
    if (this.status === 0) return 'Registry unreachable';
    if (this.status === 401) return 'Authentication failed';
    const words = STATUS_WORDS[this.status] ?? (this.status >= 500 ? 'server error' : 'request failed');
    const codes = this.codes.length > 0 ? ` ${this.codes.join(', ')}` : '';
    return `Registry ${words} (${this.status}${codes})`;
  }

  /** What the use case may know of this failure without knowing HTTP. */
  get contentFailure(): ContentFailure | undefined {
    if (this.status === 404) return this.hasCode('NAME_UNKNOWN') ? 'no-such-repository' : 'not-found';
    if (this.status === 401 || this.status === 403) return 'access-refused';
    if (this.status === 405 || this.status === 501 || this.hasCode('UNSUPPORTED')) return 'unsupported';
    return undefined;
  }

  /** The distribution error codes, in body order. */
  get codes(): string[] {
    return this.errors.map((entry) => entry.code);
  }

  hasCode(code: string): boolean {
    return this.errors.some((entry) => entry.code === code);
  }

  override hints(): string[] {
    const { url, status, codes, errors, headers, credentialSource } = this;
    return refusalHints({ url, status, codes, errors, headers, credentialSource });
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
