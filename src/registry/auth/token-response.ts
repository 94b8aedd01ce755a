import { AuthenticationError } from './authentication-error.js';

/** A token from the token server and the instant (ms since the epoch) it stops being valid. */
export interface GrantedToken {
  token: string;
  expiresAt: number;
}

/** The distribution token spec: tokens live at least 60 s, and 60 s when `expires_in` is missing. */
export const MIN_TOKEN_LIFETIME_MS = 60_000;

/**
 * Reads a token response (`auth/token.md`, `auth/oauth.md`): `access_token` over `token`; the lifetime counts
 * from `issued_at` when that is sane (not in the future, not already past the lifetime), else from `requestedAt`,
 * the moment the request was sent, which errs on the early side. `failure` starts error messages.
 */
export function parseTokenResponse(text: string, requestedAt: number, failure: string): GrantedToken {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // No cause and no quote: the body is the token server's answer and may hold a token.
    throw new AuthenticationError(`${failure}: the token server's answer is not JSON`);
  }
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const token = nonEmptyString(fields.access_token) ?? nonEmptyString(fields.token);
  if (token === undefined) {
    throw new AuthenticationError(`${failure}: the token server's answer has no "access_token" or "token"`);
  }
  const expiresIn = fields.expires_in;
  const lifetime = Math.max(
    typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? expiresIn * 1000 : 0,
    MIN_TOKEN_LIFETIME_MS,
  );
  const issuedAt = typeof fields.issued_at === 'string' ? Date.parse(fields.issued_at) : Number.NaN;
  const sane = issuedAt <= requestedAt && issuedAt + lifetime > requestedAt;
  return { token, expiresAt: (sane ? issuedAt : requestedAt) + lifetime };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
