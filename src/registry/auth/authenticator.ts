import { Memo } from '../../common/memoize.js';
import type { Credential, CredentialStore } from '../credentials/credential-store.js';
import { RegistryError, type CredentialSource } from '../http/registry-error.js';
import { redactUrl } from '../../common/redact.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import { cachedStore } from '../credentials/cached-store.js';
import { basicCredential, basicUser } from './basic.js';
import { describeScopes, describeWho } from './describe.js';
import { challengeScopes, parseWwwAuthenticate, preferredChallenge } from './challenge.js';
import { AuthenticationError } from './authentication-error.js';
import { tokenRealm } from './realm.js';
import { mergeScopes, scopeSetKey, scopesCover, type Scope } from './scopes.js';
import type { BearerScheme, RegistryAuth, Scheme, Token } from './registry-auth.js';
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

/**
 * Answers registry auth challenges for a whole run: Bearer tokens (one per registry and scope set, one mint in
 * flight, scopes merged per registry, renewed before expiry) and Basic credentials. Never logs a secret.
 */
export class Authenticator {
  readonly #http: HttpClient;
  readonly #store: CredentialStore;
  readonly #logger: Logger;
  readonly #onSecret: (secret: string) => void;
  readonly #now: () => number;
  readonly #isPlainHttp: (registry: string) => boolean;
  readonly #registries = new Map<string, RegistryAuth>();
  /** A refused token request is asked again by the next caller. */
  readonly #tokens = new Memo<Token>('retry');
  readonly #masked = new Set<string>();

  constructor(options: AuthenticatorOptions) {
    this.#http = options.http;
    this.#logger = options.logger ?? silentLogger;
    // Asked once per registry; the secrets are masked before the source is logged.
    this.#store = cachedStore(options.credentials, (registry, credential) => {
      for (const secret of [credential?.password, credential?.identityToken, credential?.registryToken]) {
        if (secret) this.#mask(secret);
      }
      const user = credential?.username ? ` (user ${credential.username})` : '';
      this.#logger.debug(
        credential
          ? `auth ${registry}: credentials from ${credential.source}${user}`
          : `auth ${registry}: no credentials`,
      );
    });
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
    const credential = await this.#store.get(registry);
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
      // Another token server: its predecessor's token is of no use any more.
      state.scheme = { kind: 'bearer', realm, service, issuer };
      this.#drop(state);
    }
    const wanted = mergeScopes(
      scopes,
      challengeScopes(challenge, (reason) =>
        this.#logger.debug(`auth ${registry}: ignoring the challenge's scope: ${reason}`),
      ),
    );
    if (wanted.length > 0) await this.#token(registry, state, state.scheme, wanted);
  }

  /**
   * After a 401 on a request that carried our Authorization: drops that token so the next challenge gets a
   * fresh one. Returns false when retrying cannot help (caller fails instead of looping): the token was itself
   * minted after a 401, or the registry takes fixed credentials (Basic, a registry token).
   * `sentAuthorization` (the value the request carried) tells which token failed when requests overlap; a request
   * that carried none was not refused a token and needs no call here.
   */
  invalidate(registry: string, sentAuthorization: string): boolean {
    const state = this.#registries.get(registry);
    const scheme = state?.scheme;
    if (!state || !scheme) return true;
    if (scheme.kind === 'fixed') return sentAuthorization !== scheme.authorization;
    const failed = state.token;
    const carried = failed?.authorization === sentAuthorization;
    // Already replaced: the retry carries the newer token.
    if (!failed || !carried) return true;
    if (failed.answersRefusal) return false;
    this.#drop(state);
    state.refused = true;
    this.#logger.debug(
      `auth ${registry}: token for ${describeScopes(failed.scopes)} refused; getting a new one`,
    );
    return true;
  }

  /** Whether the run has credentials for `registry`; a failed lookup counts as some (it fails when they are used). */
  async hasCredentials(registry: string): Promise<boolean> {
    return this.#store.get(registry).then(
      (credential) => credential !== undefined,
      () => true,
    );
  }

  /** Where `registry`'s credentials come from, as a 401 reports it (a failed lookup counts as none). */
  async credentialSource(registry: string): Promise<CredentialSource> {
    const credential = await this.#store.get(registry).catch(() => undefined);
    return { registry, source: credential?.source, coverage: this.#store.coverage };
  }

  #state(registry: string): RegistryAuth {
    let state = this.#registries.get(registry);
    if (!state) {
      state = { scopes: [], refused: false };
      this.#registries.set(registry, state);
    }
    return state;
  }

  /** A token covering `scopes`: the newest while fresh, else one minted for everything asked so far. */
  #token(registry: string, state: RegistryAuth, scheme: BearerScheme, scopes: Scope[]): Promise<Token> {
    const held = state.token;
    const fresh = held !== undefined && held.expiresAt - TOKEN_RENEWAL_MARGIN_MS > this.#now();
    if (held && fresh && scopesCover(held.scopes, scopes)) return Promise.resolve(held);
    state.scopes = mergeScopes(state.scopes, scopes);
    const key = `${registry} ${scheme.issuer} ${scopeSetKey(state.scopes)}`;
    // Due for renewal: the memo still holds it under the same key.
    if (held?.key === key) this.#drop(state);
    return this.#tokens.get(key, () => this.#mint(registry, state, scheme, state.scopes, key));
  }

  async #mint(
    registry: string,
    state: RegistryAuth,
    scheme: BearerScheme,
    scopes: Scope[],
    key: string,
  ): Promise<Token> {
    const credential = await this.#store.get(registry);
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
    ).catch((error: unknown) => {
      if (!(error instanceof RegistryError) || error.status !== 401) throw error;
      const credentialSource = { registry, source: credential?.source, coverage: this.#store.coverage };
      throw error.restated(error.message, { credentialSource });
    });
    const token: Token = {
      key,
      scopes,
      authorization: `Bearer ${this.#mask(granted.token)}`,
      expiresAt: granted.expiresAt,
      answersRefusal: state.refused,
    };
    state.refused = false;
    // A slower mint for fewer scopes does not replace a token that covers more.
    if (state.scheme === scheme && (!state.token || scopesCover(scopes, state.token.scopes))) {
      if (state.token && state.token.key !== key) this.#tokens.delete(state.token.key);
      state.token = token;
    }
    return token;
  }

  /** Forgets the registry's token, so the next request mints a new one. */
  #drop(state: RegistryAuth): void {
    if (state.token) this.#tokens.delete(state.token.key);
    state.token = undefined;
  }

  #basicScheme(registry: string, credential: Credential | undefined): Scheme {
    const { username, password, source } = basicUser(registry, credential, this.#store.coverage);
    const encoded = this.#mask(basicCredential(username, password));
    this.#logger.debug(`auth ${registry}: Basic as ${username} (from ${source})`);
    return { kind: 'fixed', authorization: `Basic ${encoded}` };
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
