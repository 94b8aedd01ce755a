import type { Credential, CredentialStore } from '../credentials/types.js';
import { redactUrl } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { basicCredential } from './basic.js';
import { parseWwwAuthenticate, preferredChallenge, type Challenge } from './challenge.js';
import { AuthenticationError } from './errors.js';
import { tokenRealm } from './realm.js';
import { formatScope, mergeScopes, parseScopes, scopeSetKey, scopesCover, type Scope } from './scopes.js';
import { requestToken, type HttpClient } from './token-request.js';

export type { HttpClient };

export interface AuthenticatorOptions {
  http: HttpClient;
  credentials: CredentialStore;
  logger?: Logger;
  /** Receives every credential, Basic credential and minted token before it is used or anything is logged. */
  onSecret: (secret: string) => void;
  /** Milliseconds since the epoch; injectable for expiry tests. */
  now?: () => number;
  /** True when `registry` is reached over plain http; only then may its token realm be http. Default: never. */
  isPlainHttp?: (registry: string) => boolean;
}

/**
 * Tokens are renewed this long before they expire. A request can wait in the per-host queue and then take a
 * few seconds to reach the registry; 10 s (regclient uses 5) keeps that wait from outliving the token, and costs
 * at most one extra token request per token lifetime (60 s at least).
 */
export const TOKEN_RENEWAL_MARGIN_MS = 10_000;

/** A Bearer challenge's token server, or an Authorization value sent as is (Basic, or a registry token). */
type Scheme =
  | { kind: 'bearer'; realm: URL; service: string | undefined; issuer: string }
  | { kind: 'fixed'; authorization: string };

interface CachedToken {
  key: string;
  issuer: string;
  scopes: Scope[];
  authorization: string;
  expiresAt: number;
  /** Scope-set keys this token was minted for after a 401 invalidated their previous token. */
  retryFor: Set<string>;
}

interface RegistryAuth {
  scheme?: Scheme;
  /** Everything asked of the registry so far, merged: each new token covers all of it. */
  scopes: Scope[];
  tokens: Map<string, CachedToken>;
  minting: Map<string, Promise<CachedToken>>;
  /** Scope sets whose token a 401 invalidated, waiting for the token that will be their one retry. */
  invalidated: Map<string, Scope[]>;
}

/**
 * Answers registry auth challenges for a whole run: Bearer tokens (cached per realm, service and scope set,
 * scopes merged per registry, renewed before expiry) and Basic credentials. Never logs a secret.
 */
export class Authenticator {
  readonly #http: HttpClient;
  readonly #store: CredentialStore;
  readonly #logger: Logger;
  readonly #onSecret: (secret: string) => void;
  readonly #now: () => number;
  readonly #isPlainHttp: (registry: string) => boolean;
  readonly #registries = new Map<string, RegistryAuth>();
  readonly #credentials = new Map<string, Promise<Credential | undefined>>();
  readonly #masked = new Set<string>();

  constructor(options: AuthenticatorOptions) {
    this.#http = options.http;
    this.#store = options.credentials;
    this.#logger = options.logger ?? silentLogger;
    this.#onSecret = options.onSecret;
    this.#now = options.now ?? Date.now;
    this.#isPlainHttp = options.isPlainHttp ?? (() => false);
  }

  /**
   * The Authorization header value to send to `registry` for a request needing `scopes`, or undefined (anonymous /
   * not yet challenged). Gets a new token, for these scopes merged with all asked before, when no cached one
   * covers them or it is due for renewal; so a push token exists before a body is sent.
   */
  async authorization(registry: string, scopes: Scope[]): Promise<string | undefined> {
    const state = this.#registries.get(registry);
    const scheme = state?.scheme;
    if (!state || !scheme) return undefined;
    if (scheme.kind === 'fixed') return scheme.authorization;
    return (await this.#token(registry, state, scheme, scopes)).authorization;
  }

  /**
   * Learns the registry's scheme from a 401 (or the /v2/ ping) and gets credentials or a token for `scopes` (plus
   * any scope the challenge names). Throws when the token server refuses ("failed to authenticate to <registry>
   * as <user>: 401 …"), when the challenge is unusable, or when a Basic challenge finds no username and password.
   */
  async challenge(registry: string, wwwAuthenticate: string[], scopes: Scope[]): Promise<void> {
    const challenge = preferredChallenge(parseWwwAuthenticate(wwwAuthenticate));
    if (!challenge) {
      throw new AuthenticationError(
        `failed to authenticate to ${registry}: expected a Bearer or Basic challenge, got WWW-Authenticate ` +
          `${JSON.stringify(wwwAuthenticate)}`,
      );
    }
    const state = this.#state(registry);
    const credential = await this.#credential(registry);
    if (challenge.scheme === 'basic') {
      state.scheme = this.#basicScheme(registry, credential);
      return;
    }
    if (credential?.registryToken !== undefined) {
      // A registry token goes to the registry itself; the token server is not asked.
      this.#logger.debug(`auth ${registry}: sending the registry token from ${credential.source}`);
      state.scheme = { kind: 'fixed', authorization: `Bearer ${this.#mask(credential.registryToken)}` };
      return;
    }
    const realm = tokenRealm(registry, challenge.params.realm, this.#isPlainHttp(registry));
    const service = challenge.params.service;
    const issuer = `${realm.href} ${service ?? ''}`;
    if (state.scheme?.kind !== 'bearer' || state.scheme.issuer !== issuer) {
      // Another token server: its predecessor's tokens are of no use any more.
      state.scheme = { kind: 'bearer', realm, service, issuer };
      state.tokens.clear();
    }
    const wanted = mergeScopes(scopes, this.#challengeScopes(registry, challenge));
    if (wanted.length > 0) await this.#token(registry, state, state.scheme, wanted);
  }

  /**
   * After a 401 on a request that carried our Authorization: drops that token so the next challenge gets a
   * fresh one. Returns false when retrying cannot help (caller fails instead of looping): the token was itself
   * minted to retry this exact scope set, or the registry takes fixed credentials (Basic, a registry token).
   * `sentAuthorization` (the value the request carried) tells which token failed when requests overlap.
   */
  invalidate(registry: string, scopes: Scope[], sentAuthorization?: string): boolean {
    const state = this.#registries.get(registry);
    const scheme = state?.scheme;
    if (!state || !scheme) return true;
    if (scheme.kind === 'fixed') {
      return sentAuthorization !== undefined && sentAuthorization !== scheme.authorization;
    }
    const failed =
      sentAuthorization === undefined
        ? this.#newestCovering(state, scheme, scopes)
        : [...state.tokens.values()].find((token) => token.authorization === sentAuthorization);
    // Already replaced: the retry carries the newer token.
    if (!failed) return true;
    const key = scopeSetKey(scopes);
    if (failed.retryFor.has(key)) return false;
    state.tokens.delete(failed.key);
    state.invalidated.set(key, scopes);
    this.#logger.debug(
      `auth ${registry}: token for ${describeScopes(failed.scopes)} refused; getting a new one`,
    );
    return true;
  }

  #state(registry: string): RegistryAuth {
    let state = this.#registries.get(registry);
    if (!state) {
      state = { scopes: [], tokens: new Map(), minting: new Map(), invalidated: new Map() };
      this.#registries.set(registry, state);
    }
    return state;
  }

  /** A token covering `scopes`: a cached one while fresh, else a new one for everything asked so far. */
  #token(registry: string, state: RegistryAuth, scheme: BearerScheme, scopes: Scope[]): Promise<CachedToken> {
    const cached = this.#newestCovering(state, scheme, scopes, this.#now());
    if (cached) return Promise.resolve(cached);
    state.scopes = mergeScopes(state.scopes, scopes);
    const key = `${scheme.issuer} ${scopeSetKey(state.scopes)}`;
    let minting = state.minting.get(key);
    if (!minting) {
      minting = this.#mint(registry, state, scheme, state.scopes, key).finally(() =>
        state.minting.delete(key),
      );
      state.minting.set(key, minting);
    }
    return minting;
  }

  async #mint(
    registry: string,
    state: RegistryAuth,
    scheme: BearerScheme,
    scopes: Scope[],
    key: string,
  ): Promise<CachedToken> {
    const credential = await this.#credential(registry);
    const { username, password, identityToken } = credential ?? {};
    const basic = username && password ? this.#mask(basicCredential(username, password)) : undefined;
    const who = describeWho(credential);
    this.#logger.debug(
      `auth ${registry}: token from ${redactUrl(scheme.realm)} (service ${scheme.service ?? 'none'}) ${who} ` +
        `for ${describeScopes(scopes)}`,
    );
    const granted = await requestToken(
      this.#http,
      { registry, realm: scheme.realm, service: scheme.service, scopes, who, basic, identityToken },
      this.#now,
      this.#logger,
    );
    const token: CachedToken = {
      key,
      issuer: scheme.issuer,
      scopes,
      authorization: `Bearer ${this.#mask(granted.token)}`,
      expiresAt: granted.expiresAt,
      retryFor: new Set(),
    };
    for (const [invalidatedKey, invalidatedScopes] of state.invalidated) {
      if (!scopesCover(scopes, invalidatedScopes)) continue;
      token.retryFor.add(invalidatedKey);
      state.invalidated.delete(invalidatedKey);
    }
    this.#keep(state, token);
    return token;
  }

  /** Caches `token` as the newest, dropping tokens it makes redundant and expired ones. */
  #keep(state: RegistryAuth, token: CachedToken): void {
    const now = this.#now();
    for (const [key, cached] of state.tokens) {
      const redundant = cached.issuer === token.issuer && scopesCover(token.scopes, cached.scopes);
      if (redundant || cached.expiresAt <= now) state.tokens.delete(key);
    }
    state.tokens.set(token.key, token);
  }

  /** The most recent cached token of the scheme's issuer that covers `scopes` (and is fresh at `freshAt`). */
  #newestCovering(
    state: RegistryAuth,
    scheme: BearerScheme,
    scopes: Scope[],
    freshAt?: number,
  ): CachedToken | undefined {
    const candidates = [...state.tokens.values()].reverse();
    return candidates.find(
      (token) =>
        token.issuer === scheme.issuer &&
        (freshAt === undefined || token.expiresAt - TOKEN_RENEWAL_MARGIN_MS > freshAt) &&
        scopesCover(token.scopes, scopes),
    );
  }

  #basicScheme(registry: string, credential: Credential | undefined): Scheme {
    if (!credential?.username || !credential.password) {
      const found = credential
        ? `the credentials from ${credential.source} have none`
        : 'none were found for it';
      throw new AuthenticationError(
        `failed to authenticate to ${registry}: it asks for a username and password (Basic) and ${found}`,
      );
    }
    const encoded = this.#mask(basicCredential(credential.username, credential.password));
    this.#logger.debug(`auth ${registry}: Basic as ${credential.username} (from ${credential.source})`);
    return { kind: 'fixed', authorization: `Basic ${encoded}` };
  }

  /** The scopes a challenge names (`insufficient_scope`); a malformed list is ignored, not fatal. */
  #challengeScopes(registry: string, challenge: Challenge): Scope[] {
    try {
      return parseScopes(challenge.params.scope ?? '');
    } catch (error) {
      this.#logger.debug(`auth ${registry}: ignoring the challenge's scope: ${(error as Error).message}`);
      return [];
    }
  }

  /** The registry's credentials, looked up once; their secrets masked before the source is logged. */
  #credential(registry: string): Promise<Credential | undefined> {
    let lookup = this.#credentials.get(registry);
    if (!lookup) {
      lookup = this.#store.get(registry).then((credential) => {
        for (const secret of [credential?.password, credential?.identityToken, credential?.registryToken]) {
          if (secret) this.#mask(secret);
        }
        const user = credential?.username ? ` (user ${credential.username})` : '';
        this.#logger.debug(
          credential
            ? `auth ${registry}: credentials from ${credential.source}${user}`
            : `auth ${registry}: no credentials`,
        );
        return credential;
      });
      this.#credentials.set(registry, lookup);
    }
    return lookup;
  }

  /** Hands `secret` to onSecret once, and returns it. */
  #mask(secret: string): string {
    if (!this.#masked.has(secret)) {
      this.#masked.add(secret);
      this.#onSecret(secret);
    }
    return secret;
  }
}

type BearerScheme = Extract<Scheme, { kind: 'bearer' }>;

/** How the token request authenticates, as in "failed to authenticate to <registry> <who>". */
function describeWho(credential: Credential | undefined): string {
  if (credential?.username && (credential.password || credential.identityToken)) {
    return `as ${credential.username}`;
  }
  return credential?.identityToken ? 'with an identity token' : 'anonymously';
}

function describeScopes(scopes: Scope[]): string {
  return scopes.length === 0 ? 'no scope' : scopes.map(formatScope).join(' ');
}
