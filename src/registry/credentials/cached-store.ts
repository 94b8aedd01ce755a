import { Memo } from '../../common/memoize.js';
import type { Credential, CredentialStore } from './credential-store.js';

/**
 * `store` asked once per registry for the run, failures included: authentication and the report of a refusal both
 * need the answer, and a credential helper is a process worth starting once. `onFound` sees each answer first.
 */
export function cachedStore(
  store: CredentialStore,
  onFound: (registry: string, credential: Credential | undefined) => void,
): CredentialStore {
  const lookups = new Memo<Credential | undefined>('remember');
  return {
    ...(store.coverage !== undefined && { coverage: store.coverage }),
    get: (registry) =>
      lookups.get(registry, async () => {
        const credential = await store.get(registry);
        onFound(registry, credential);
        return credential;
      }),
  };
}
