import { Memo } from '../../common/memoize.js';
import { isLoopbackRegistry, registryApiHost } from '../../oci/reference.js';
import { RegistryError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import type { Transport } from './transport.js';

/** What `GET /v2/` answered: the status, and the auth challenges to start from. */
export interface PingResult {
  status: number;
  wwwAuthenticate: string[];
}

/** Where a registry's API lives and what its ping said. */
export interface OriginResolution {
  /** 'https://ghcr.io', 'https://registry-1.docker.io', 'http://127.0.0.1:5000' */
  origin: string;
  ping: PingResult;
}

export interface OriginResolverOptions {
  /** `host[:port]` names that speak plain HTTP (compared case-insensitively). */
  insecureRegistries: string[];
  logger?: Logger;
}

/**
 * Decides which scheme each registry speaks, with one `GET /v2/` per registry: http for insecure registries,
 * otherwise https, falling back to http only for loopback registries whose https attempt got no response at all
 * (refused, or a TLS handshake against a plain-HTTP port). Other registries never fall back to http.
 */
export class OriginResolver {
  readonly #transport: Pick<Transport, 'request'>;
  readonly #insecure: Set<string>;
  readonly #logger: Logger;
  /** A failed resolution is not remembered: a later call tries again. */
  readonly #resolved = new Memo<OriginResolution>('retry');

  constructor(transport: Pick<Transport, 'request'>, options: OriginResolverOptions) {
    this.#transport = transport;
    this.#insecure = new Set(options.insecureRegistries.map((name) => name.toLowerCase()));
    this.#logger = options.logger ?? silentLogger;
  }

  /** The origin for `registry` as written in a reference ('docker.io', 'ghcr.io', 'localhost:5000'); memoized. */
  resolve(registry: string): Promise<OriginResolution> {
    return this.#resolved.get(registry, () => this.#resolve(registry));
  }

  async #resolve(registry: string): Promise<OriginResolution> {
    const host = registryApiHost(registry);
    if (this.#insecure.has(registry.toLowerCase()) || this.#insecure.has(host.toLowerCase())) {
      return this.#ping(`http://${host}`);
    }
    try {
      return await this.#ping(`https://${host}`);
    } catch (error) {
      const noResponse = error instanceof RegistryError && error.status === 0;
      if (!noResponse || !isLoopbackRegistry(host)) throw error;
      // Expected for a local plain-HTTP registry: one short line, the TLS details only in debug.
      this.#logger.info(`${registry} is a loopback registry without https; using http`);
      this.#logger.debug(`https to ${registry} failed: ${error.message}`);
      return this.#ping(`http://${host}`);
    }
  }

  async #ping(origin: string): Promise<OriginResolution> {
    const response = await this.#transport.request({ method: 'GET', url: new URL('/v2/', origin) });
    await response.discard();
    this.#logger.debug(`registry at ${origin} answered GET /v2/ with ${response.status}`);
    return {
      origin,
      ping: { status: response.status, wwwAuthenticate: response.headerValues('www-authenticate') },
    };
  }
}
