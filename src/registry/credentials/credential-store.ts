/** Credentials for one registry, and where they came from (for logs; never a secret). */
export interface Credential {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token, exchanged at the token server (`identitytoken`, or a helper's `<token>` user). */
  identityToken?: string;
  /** A bearer token sent to the registry as is (`registrytoken`). */
  registryToken?: string;
  /** e.g. `inputs`, `DOCKER_AUTH_CONFIG`, `$HOME/.docker/config.json`, `docker-credential-ecr-login`, `github-token`. */
  source: string;
}

/** Looks up credentials by registry as written in a reference: `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
export interface CredentialStore {
  get(registry: string): Promise<Credential | undefined>;
  /** Which credentials apply to which registry, said to a registry that finds none (never a secret). */
  readonly coverage?: string;
}
