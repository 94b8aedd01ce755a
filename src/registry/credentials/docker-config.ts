import { join } from 'node:path';
import { registryCredentialsKey } from '../../oci/reference.js';
import { silentLogger, type Logger } from '../../common/logger.js';
import { credentialFromEntry, findAuthEntry } from './auth-entry.js';
import { parseDockerConfig, readDockerConfig, type AuthEntry, type DockerConfig } from './config-file.js';
import type { Credential, CredentialStore } from './credential-store.js';

export interface DockerConfigStoreOptions {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** Receives every secret found (to mask it) before anything about it is logged. */
  onSecret: (secret: string) => void;
  logger?: Logger;
  /** Runs `docker-credential-<helper> get`; default: runCredentialHelper with `env`. */
  runHelper?: (helper: string, serverUrl: string) => Promise<Credential | undefined>;
}

const AUTH_CONFIG_VARIABLE = 'DOCKER_AUTH_CONFIG';

/**
 * Credentials as docker finds them: DOCKER_AUTH_CONFIG first, then `$DOCKER_CONFIG/config.json` (or
 * `~/.docker/config.json`) through its credHelpers, credsStore or auths. Both are read once, on first use.
 */
export function dockerConfigStore(options: DockerConfigStoreOptions): CredentialStore {
  const { env, onSecret } = options;
  const logger = options.logger ?? silentLogger;
  const path = join(env.DOCKER_CONFIG || join(options.homeDir, '.docker'), 'config.json');
  const envAuths = once(() => authsFromVariable(env[AUTH_CONFIG_VARIABLE], logger));
  const file = once(() => readDockerConfig(path));

  const fromAuths = (
    auths: Record<string, AuthEntry>,
    key: string,
    source: string,
  ): Credential | undefined => {
    const found = findAuthEntry(auths, key);
    if (!found) return undefined;
    if (found.entry.auth !== undefined) onSecret(found.entry.auth);
    return maskSecrets(credentialFromEntry(found, source), onSecret);
  };

  const fromHelper = async (helper: string, key: string): Promise<Credential | undefined> => {
    // Loaded only when a config names a helper: most runs spawn none.
    const { CredentialHelperError, runCredentialHelper } = await import('./helper.js');
    const runHelper = options.runHelper ?? ((name, url) => runCredentialHelper(name, url, { env }));
    try {
      return maskSecrets(await runHelper(helper, key), onSecret);
    } catch (error) {
      // A helper named in a stale config must not block anonymous pulls; any other failure is real.
      if (!(error instanceof CredentialHelperError && error.notInstalled)) throw error;
      logger.warning(`${error.message}; continuing without credentials from ${path}`);
      return undefined;
    }
  };

  return {
    async get(registry) {
      const key = registryCredentialsKey(registry);
      const fromVariable = fromAuths(envAuths(), key, AUTH_CONFIG_VARIABLE);
      if (fromVariable) return fromVariable;
      const config = await file();
      if (!config) return undefined;
      const helper = config.credHelpers[key] ?? config.credsStore;
      if (helper !== undefined) {
        logger.debug(`credentials for ${key}: asking docker-credential-${helper} (configured in ${path})`);
        return fromHelper(helper, key);
      }
      return fromAuths(config.auths, key, path);
    },
  };
}

/** DOCKER_AUTH_CONFIG's auths; like docker, only each entry's `auth` counts. */
function authsFromVariable(value: string | undefined, logger: Logger): Record<string, AuthEntry> {
  if (value === undefined || value.trim() === '') return {};
  const config: DockerConfig = parseDockerConfig(value, AUTH_CONFIG_VARIABLE);
  const auths: Record<string, AuthEntry> = {};
  for (const [key, entry] of Object.entries(config.auths)) {
    const ignored = Object.keys(entry).filter((field) => field !== 'auth');
    if (ignored.length > 0) {
      logger.warning(
        `${AUTH_CONFIG_VARIABLE}: ignoring ${ignored.join(', ')} of "${key}": only "auth" is read there`,
      );
    }
    auths[key] = entry.auth === undefined ? {} : { auth: entry.auth };
  }
  return auths;
}

/** Hands every secret of `credential` to onSecret, then returns it. */
function maskSecrets(
  credential: Credential | undefined,
  onSecret: (secret: string) => void,
): Credential | undefined {
  for (const secret of [credential?.password, credential?.identityToken, credential?.registryToken]) {
    if (secret) onSecret(secret);
  }
  return credential;
}

/** Memoizes a load; a promise is kept with its failure, so a broken file fails alike for every registry. */
function once<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined;
  return () => (loaded ??= { value: load() }).value;
}
