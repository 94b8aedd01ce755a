import type { Dispatcher } from 'undici';
import type { RegistryApi } from './api.js';
import { RegistryClient } from './client.js';
import type { Credential, CredentialStore } from './credentials/types.js';
import type { Logger } from './logger.js';
import { OriginResolver } from './origin.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry.js';
import { RegistrySession } from './session.js';
import { Transport } from './transport.js';

export interface ClientOptions {
  credentials: CredentialStore;
  /** `host[:port]` names that speak plain HTTP. */
  insecureRegistries: string[];
  logger: Logger;
  /** Receives every secret before it is used or anything is logged (core.setSecret). */
  onSecret: (secret: string) => void;
  /** Default: a proxy-aware keep-alive agent owned (and closed) by the client. */
  dispatcher?: Dispatcher;
  retry?: Partial<RetryPolicy>;
  /** How often a blob copy still under way logs its progress. Default 15 s. */
  progressIntervalMs?: number;
}

/** The HTTP registry client: one Transport, OriginResolver, Authenticator and credential lookup for the run. */
export function createRegistryClient(options: ClientOptions): RegistryApi {
  const { logger, onSecret } = options;
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const transport = new Transport({ dispatcher: options.dispatcher, logger, retry });
  const origins = new OriginResolver(transport, { insecureRegistries: options.insecureRegistries, logger });
  const credentials = lookUpOnce(options.credentials);
  const session = new RegistrySession({ transport, origins, credentials, onSecret, logger });
  return new RegistryClient({ session, logger, retry, progressIntervalMs: options.progressIntervalMs });
}

/**
 * Asks `store` once per registry: authentication and the messages about refused credentials both need the
 * answer, and a credential helper is a process worth starting once.
 */
function lookUpOnce(store: CredentialStore): CredentialStore {
  const lookups = new Map<string, Promise<Credential | undefined>>();
  return {
    get(registry) {
      let lookup = lookups.get(registry);
      if (!lookup) {
        lookup = store.get(registry);
        lookups.set(registry, lookup);
      }
      return lookup;
    },
  };
}
