import type { Logger } from '../../common/logger.js';
import { describeStatus, expectStatus } from '../http/response.js';
import type { Transport } from '../http/transport.js';
import type { TransportResponse } from '../http/sender.js';
import { formatScope, type Scope } from './scopes.js';
import { parseTokenResponse, type GrantedToken } from './token-response.js';
import { TOKEN_POST_REFUSED } from '../quirks/answers.js';

/** The part of the transport that authentication needs. */
export type HttpClient = Pick<Transport, 'request'>;

/** One token to obtain from a Bearer challenge's realm. */
export interface TokenRequest {
  registry: string;
  realm: URL;
  service?: string;
  scopes: Scope[];
  /** How we authenticate, for messages: `as octocat`, `anonymously`. */
  who: string;
  /** base64 of `username:password` for the GET; absent for an anonymous token. */
  basic?: string;
  /** A refresh token for the OAuth2 POST. */
  identityToken?: string;
}

/** Sent as `client_id` in OAuth2 requests; token servers log it. */
export const OAUTH_CLIENT_ID = 'multiarch-publish';
const TOKEN_BODY_LIMIT = 64 * 1024;

/**
 * Gets a token: with an identity token, the OAuth2 refresh-token POST, falling back to the GET when the server
 * does not do OAuth2 and a username and password exist; otherwise the GET, with Basic credentials or anonymous.
 * Throws RegistryError ("failed to authenticate to <registry> as <user>: 401 Unauthorized …") on a refusal.
 */
export async function requestToken(
  http: HttpClient,
  request: TokenRequest,
  now: () => number,
  logger: Logger,
): Promise<GrantedToken> {
  if (request.identityToken !== undefined) {
    const granted = await postRefreshToken(http, request, request.identityToken, now, logger);
    if (granted !== undefined) return granted;
  }
  const url = new URL(request.realm);
  if (request.service !== undefined) url.searchParams.set('service', request.service);
  for (const scope of request.scopes) url.searchParams.append('scope', formatScope(scope));
  const requestedAt = now();
  const response = await http.request({
    method: 'GET',
    url,
    headers: { accept: 'application/json' },
    authorization: request.basic === undefined ? undefined : `Basic ${request.basic}`,
  });
  return readToken(response, 'GET', requestedAt, request);
}

/** The refresh-token grant; undefined when the server refused it in a way that calls for the GET instead. */
async function postRefreshToken(
  http: HttpClient,
  request: TokenRequest,
  identityToken: string,
  now: () => number,
  logger: Logger,
): Promise<GrantedToken | undefined> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: identityToken });
  if (request.service !== undefined) form.set('service', request.service);
  form.set('client_id', OAUTH_CLIENT_ID);
  if (request.scopes.length > 0) form.set('scope', request.scopes.map(formatScope).join(' '));
  const requestedAt = now();
  const response = await http.request({
    method: 'POST',
    url: request.realm,
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(form.toString(), 'utf8'),
    // Asking for a token twice is harmless, so a failed attempt may be retried.
    idempotent: true,
  });
  if (request.basic !== undefined && TOKEN_POST_REFUSED.includes(response.status)) {
    await response.discard();
    logger.debug(`token server answered the OAuth2 POST with ${describeStatus(response.status)}; trying GET`);
    return undefined;
  }
  return readToken(response, 'POST', requestedAt, request);
}

async function readToken(
  response: TransportResponse,
  method: string,
  requestedAt: number,
  request: TokenRequest,
): Promise<GrantedToken> {
  const what = `authenticate to ${request.registry} ${request.who}`;
  await expectStatus(response, [200], { method, what });
  const text = await response.text(TOKEN_BODY_LIMIT);
  return parseTokenResponse(text, requestedAt, `failed to ${what}`);
}
