// Sonatype Nexus Repository (§11).
import { errorAnswer } from '../exchange.js';
import { LOCKED, type RegistryProfile } from '../profile.js';
import { bearerAuth } from '../rules/auth.js';
import { deleteTagUntags } from '../rules/deletes.js';
import { immutableTags } from '../rules/immutable-tags.js';
import { missingChildren } from '../rules/manifest-checks.js';

const login = { username: 'nexus-deployer', password: 'nexus-password' };

export const nexus: RegistryProfile = {
  id: 'nexus',
  name: 'Sonatype Nexus',
  login,
  loginStep: 'docker/login-action with a user that may deploy to the hosted Docker repository',
  deletesTags: true,
  referrers: 'tag',
  immutableTags: true,
  mixedFormats: true,
  rules: () => [
    ...bearerAuth({ service: 'nexus', tokenPath: '/v2/token', login, fields: 'token' }),
    // NX3: a hosted repository with "Disable redeploy".
    immutableTags({
      repositories: LOCKED,
      refusal: (repo) =>
        errorAnswer(400, [{ code: 'DENIED', message: `Repository does not allow updating assets: ${repo}` }]),
    }),
    // NX2: BLOB_UNKNOWN, twice.
    missingChildren((digest) => {
      const entry = { code: 'BLOB_UNKNOWN', message: 'blob unknown to registry', detail: digest };
      return errorAnswer(400, [entry, entry]);
    }),
    deleteTagUntags(),
  ],
};
