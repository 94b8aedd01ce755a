import type { RepositoryName } from '../oci/reference.js';
import { chainStores, githubTokenStore, staticStore } from '../registry/credentials/chain.js';
import { dockerConfigStore } from '../registry/credentials/docker-config.js';
import type { CredentialStore } from '../registry/credentials/credential-store.js';
import type { Logger } from '../common/logger.js';
import { InputError } from './input-error.js';
import type { InputCredentials } from './inputs.js';

export interface ActionCredentialsOptions {
  inputs: InputCredentials;
  /** Without a `registry` input, the username/password inputs are for the first of these repositories' registry. */
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
 * The credential chain, in order: the username/password inputs (for the `registry` input's registry, else the
 * first target's, and for no other, as docker/login-action binds them), DOCKER_AUTH_CONFIG and the Docker config,
 * github-token for ghcr.io, else anonymous. Masks the password, the token and the Basic form of username:password
 * first.
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
  const bound = inputs.registry || options.targets[0]?.registry;
  const fromInputs = staticStore(
    username === '' || bound === undefined
      ? []
      : [{ registry: bound, credential: { username, password, source: INPUTS_SOURCE } }],
  );
  const coverage =
    username === '' || bound === undefined
      ? 'the username and password inputs are not set'
      : `the username and password inputs are for ${bound} only` +
        (inputs.registry
          ? ', as the registry input says'
          : ", the default: the first tag's registry (in verify mode, the first source's)");
  const store = chainStores(
    fromInputs,
    dockerConfigStore({ env, homeDir: options.homeDir, onSecret, logger: options.logger }),
    githubTokenStore(githubToken, env.GITHUB_ACTOR),
  );
  return { store: { ...store, coverage } };
}
