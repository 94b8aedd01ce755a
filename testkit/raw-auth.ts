import { request } from 'undici';
import { harnessDispatcher } from './harness-dispatcher.js';
import { UnexpectedStatusError } from './http-error.js';
import type { TestRegistry } from './registry-process.js';

export interface Credentials {
  username: string;
  password: string;
}

/** What the raw client asks for: reads pull, writes pull and push. */
export type RepositoryActions = 'pull' | 'pull,push';

/** `Basic base64(user:password)` */
export function basicAuthorization({ username, password }: Credentials): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/**
 * Authorization for the raw client, by the registry's mode: nothing, Basic on every request, or a bearer token
 * fetched from the registry's token server with Basic auth (anonymously without credentials) and cached by scope.
 */
export class RawAuth {
  // Promises, so concurrent requests for one scope share one token request.
  readonly #tokens = new Map<string, Promise<string>>();

  constructor(
    private readonly registry: TestRegistry,
    private readonly credentials: Credentials | undefined,
  ) {}

  /** Headers to add to a request on `repo` that needs `actions`. */
  async headers(repo: string, actions: RepositoryActions): Promise<Record<string, string>> {
    switch (this.registry.auth) {
      case 'none':
        return {};
      case 'htpasswd':
        return this.credentials === undefined ? {} : { authorization: basicAuthorization(this.credentials) };
      case 'token':
        return { authorization: `Bearer ${await this.#token(`repository:${repo}:${actions}`)}` };
    }
  }

  #token(scope: string): Promise<string> {
    let token = this.#tokens.get(scope);
    if (token === undefined) {
      token = this.#fetchToken(scope);
      this.#tokens.set(scope, token);
      // A failed fetch is not cached: the next request asks again.
      token.catch(() => this.#tokens.delete(scope));
    }
    return token;
  }

  async #fetchToken(scope: string): Promise<string> {
    const server = this.registry.tokenServer;
    if (server === undefined) {
      throw new Error(`registry ${this.registry.host} is in token mode without a token server`);
    }
    const url = new URL(server.realm);
    url.searchParams.set('service', server.service);
    url.searchParams.set('scope', scope);
    const headers =
      this.credentials === undefined ? {} : { authorization: basicAuthorization(this.credentials) };
    const response = await request(url, {
      headers,
      dispatcher: this.registry.tls?.dispatcher ?? harnessDispatcher,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) {
      throw new UnexpectedStatusError(
        `fetch a token for ${scope}`,
        'GET',
        url.href,
        response.statusCode,
        text,
      );
    }
    const { token, access_token: accessToken } = JSON.parse(text) as {
      token?: string;
      access_token?: string;
    };
    const chosen = accessToken ?? token;
    if (chosen === undefined) throw new Error(`failed to fetch a token for ${scope}: no token in ${text}`);
    return chosen;
  }
}
