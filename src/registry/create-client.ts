import type { Dispatcher } from 'undici';
import type { RegistryApi } from './api.js';
import { RegistrySession } from './auth/session.js';
import { RegistryClient } from './client.js';
import type { CredentialStore } from './credentials/credential-store.js';
import { OriginResolver } from './http/origin.js';
import { defaultRetryPolicy, type RetryPolicy } from './http/retry.js';
import { Transport, type TransportTimeouts } from './http/transport.js';
import type { RequestBound } from './http/sender.js';
import type { Logger } from '../common/logger.js';

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
  /** How long a silent registry is waited for before an attempt is abandoned (tests shorten them). */
  timeouts?: Partial<TransportTimeouts>;
  /** The run's deadline: every request in flight ends with TimedOutError when it fires (see Transport). */
  signal?: AbortSignal | RequestBound;
  /** How often a blob copy still under way logs its progress. Default 15 s. */
  progressIntervalMs?: number;
  /** Process-wide tuning the entry point owns; the library calls it and never changes the process itself. */
  runtime?: RuntimeHooks;
}

/** What the entry point hands the client so its process-wide settings (V8 flags, collections) apply. */
export interface RuntimeHooks {
  /** Called once, before the first connection is opened. */
  beforeFirstConnection?: () => void;
  /** Hears the size of every chunk of a blob streamed from a registry, and of every chunk a copy passes on. */
  onStreamed?: (bytes: number) => void;
}

/**
 * The HTTP registry client, in layers: the Transport (HTTP), the RegistrySession (origins and auth) on top of it,
 * the RegistryClient (registry operations) on top of that. Credentials are looked up once per registry, by the
 * session's authenticator.
 */
export function createRegistryClient(options: ClientOptions): RegistryApi {
  const { logger, onSecret, credentials } = options;
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const { dispatcher, timeouts, signal, runtime = {} } = options;
  const { beforeFirstConnection, onStreamed } = runtime;
  const transport = new Transport({ dispatcher, logger, retry, timeouts, signal, beforeFirstConnection });
  const origins = new OriginResolver({ insecureRegistries: options.insecureRegistries, logger });
  const session = new RegistrySession({ transport, origins, credentials, onSecret, logger });
  const { progressIntervalMs } = options;
  const stopped = (): AbortSignal | undefined =>
    signal instanceof AbortSignal ? signal : signal?.signal('work');
  return new RegistryClient({ session, logger, retry, progressIntervalMs, onStreamed, stopped });
}
