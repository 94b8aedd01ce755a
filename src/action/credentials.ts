import type { RepositoryName } from '../oci/reference.js';
import { chainStores, githubTokenStore, staticStore } from '../registry/credentials/chain.js';
import { dockerConfigStore } from '../registry/credentials/docker-config.js';
import type { CredentialStore } from '../registry/credentials/credential-store.js';
import type { Logger } from '../common/logger.js';
import { InputError } from './input-error.js';
import type { InputCredentials } from './inputs.js';

export interface ActionCredentialsOptions {
  inputs: InputCredentials;
  /** The username/password inputs are for these repositories' registries. */
  targets: RepositoryName[];
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** Masks a secret in the log (core.setSecret); called before anything is logged. */
  onSecret: (secret: string) => void;
  logger: Logger;
}

export interface ActionCredentials {
  store: CredentialStore;
}

const INPUTS_SOURCE = 'the username and password inputs';

/**
 * The credential chain, in order: the username/password inputs (for the targets' registries),
 * DOCKER_AUTH_CONFIG and the Docker config, github-token for ghcr.io, else anonymous.
 * Masks the password, the token and the Basic form of username:password first.
 */
export function buildCredentials(options: ActionCredentialsOptions): ActionCredentials {
  const { inputs, env, onSecret } = options;
  const { username, password, githubToken } = inputs;
  if ((username === '') !== (password === '')) {
    const [given, missing] = username === '' ? ['password', 'username'] : ['username', 'password'];
    throw new InputError(
      missing,
      `${given} is set but ${missing} is empty: give both, or neither to use docker login's config or github-token`,
    );
  }
  const basic = password === '' ? '' : Buffer.from(`${username}:${password}`).toString('base64');
  for (const secret of [password, basic, githubToken]) {
    if (secret !== '') onSecret(secret);
  }
  const registries = [...new Set(options.targets.map((target) => target.registry))];
  const fromInputs = staticStore(
    username === ''
      ? []
      : registries.map((registry) => ({
          registry,
          credential: { username, password, source: INPUTS_SOURCE },
        })),
  );
  const store = chainStores(
    fromInputs,
    dockerConfigStore({ env, homeDir: options.homeDir, onSecret, logger: options.logger }),
    githubTokenStore(githubToken, env.GITHUB_ACTOR),
  );
  return { store };
}
