import { sign, type KeyObject } from 'node:crypto';

/** One entry of the distribution token's `access` claim. */
export interface TokenAccess {
  type: string;
  name: string;
  actions: string[];
}

/** The claims distribution 2.8 checks: iss and aud must match its config, exp/nbf bound the lifetime. */
export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  access: TokenAccess[];
}

/** An RS256 JWT whose header carries the signing certificate in `x5c`, the way distribution finds the key. */
export function signJwt(claims: TokenClaims, privateKey: KeyObject, certificateDer: string): string {
  const header = { typ: 'JWT', alg: 'RS256', x5c: [certificateDer] };
  const signingInput = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

function base64Url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
