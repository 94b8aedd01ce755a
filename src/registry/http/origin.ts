import { isLoopbackRegistry, registryApiHost } from '../../oci/reference.js';
import { RegistryError } from './registry-error.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import type { TransportResponse } from './sender.js';

/** Where a registry's API lives, and the response of the exchange that found out. */
export interface OriginExchange {
  /** 'https://ghcr.io', 'https://registry-1.docker.io', 'http://127.0.0.1:5000' */
  origin: string;
  response: TransportResponse;
}

export interface OriginResolverOptions {
  /** `host[:port]` names that speak plain HTTP (compared case-insensitively). */
  insecureRegistries: string[];
  logger?: Logger;
}

/**
 * Decides which scheme each registry speaks, from the first real exchange with it (no `GET /v2/` of its own): http
 * for insecure registries, otherwise https, falling back to http only for loopback registries whose https attempt
 * got no response at all (refused, or a TLS handshake against a plain-HTTP port). Other registries never fall back
 * to http. The caller sends each registry's first exchange once and keeps the origin it found.
 */
export class OriginResolver {
  readonly #insecure: Set<string>;
  readonly #logger: Logger;

  constructor(options: OriginResolverOptions) {
    this.#insecure = new Set(options.insecureRegistries.map((name) => name.toLowerCase()));
    this.#logger = options.logger ?? silentLogger;
  }

  /** The origin of `registry` when no exchange is needed to find it: all but loopback registries not listed insecure. */
  knownOrigin(registry: string): string | undefined {
    const host = registryApiHost(registry);
    if (this.#insecure.has(registry.toLowerCase()) || this.#insecure.has(host.toLowerCase())) {
      return `http://${host}`;
    }
    return isLoopbackRegistry(host) ? undefined : `https://${host}`;
  }

  /**
   * Sends `exchange` to the origin of `registry` as written in a reference ('docker.io', 'ghcr.io',
   * 'localhost:5000'), once more over http when a loopback registry does not speak https.
   */
  async firstExchange(
    registry: string,
    exchange: (origin: string) => Promise<TransportResponse>,
  ): Promise<OriginExchange> {
    const host = registryApiHost(registry);
    const send = async (origin: string): Promise<OriginExchange> => {
      const response = await exchange(origin);
      this.#logger.debug(`registry at ${origin} answered its first request with ${response.status}`);
      return { origin, response };
    };
    const known = this.knownOrigin(registry);
    if (known !== undefined) return send(known);
    // A loopback registry not listed as insecure: https first, plain http if that got no response at all.
    try {
      return await send(`https://${host}`);
    } catch (error) {
      const noResponse = error instanceof RegistryError && error.status === 0;
      if (!noResponse) throw error;
      // Expected for a local plain-HTTP registry: one short line, the TLS details only in debug.
      this.#logger.info(`${registry} is a loopback registry without https; using http`);
      this.#logger.debug(`https to ${registry} failed: ${error.message}`);
      return send(`http://${host}`);
    }
  }
}
