import type { Credential, CredentialStore } from './credential-store.js';

/** Asks each store in turn; the first that has credentials for the registry wins. */
export function chainStores(...stores: CredentialStore[]): CredentialStore {
  return {
    async get(registry) {
      for (const store of stores) {
        const credential = await store.get(registry);
        if (credential) return credential;
      }
      return undefined;
    },
  };
}

/** Fixed credentials per registry (the action's inputs); the first entry naming a registry wins. */
export function staticStore(entries: Array<{ registry: string; credential: Credential }>): CredentialStore {
  return {
    get: (registry) => Promise.resolve(entries.find((entry) => entry.registry === registry)?.credential),
  };
}

const GITHUB_REGISTRY = 'ghcr.io';
// ghcr.io checks the token, not the name; this is the name GitHub uses for token-only logins elsewhere.
const DEFAULT_GITHUB_USERNAME = 'x-access-token';

/** The workflow's GitHub token as the password for ghcr.io, and for no other registry. */
export function githubTokenStore(token: string | undefined, username?: string): CredentialStore {
  const credential: Credential | undefined = token
    ? { username: username || DEFAULT_GITHUB_USERNAME, password: token, source: 'github-token' }
    : undefined;
  return { get: (registry) => Promise.resolve(registry === GITHUB_REGISTRY ? credential : undefined) };
}
