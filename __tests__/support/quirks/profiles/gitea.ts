// Gitea / Forgejo packages (§10).
import { errorAnswer } from '../exchange.js';
import type { RegistryProfile } from '../profile.js';
import { bearerAuth } from '../rules/auth.js';
import { deleteTagUntags } from '../rules/deletes.js';
import { manifestSizeCap, missingChildren } from '../rules/manifest-checks.js';
import { lowercaseTags, tagPaging } from '../rules/reads.js';
import { storageRedirect } from '../rules/storage-redirect.js';
import { relativeLocations } from '../rules/uploads.js';

const login = { username: 'gitea-user', password: 'gitea-access-token' };

export const gitea: RegistryProfile = {
  id: 'gitea',
  name: 'Gitea / Forgejo',
  login,
  loginStep: 'docker/login-action with the user and an access token with package write',
  deletesTags: true,
  referrers: 'tag',
  immutableTags: false,
  mixedFormats: true,
  rules: () => [
    // GT1: `scope="*"`, only `token` in the answer.
    ...bearerAuth({
      service: 'container_registry',
      tokenPath: '/v2/token',
      login,
      fields: 'token',
      starScope: true,
    }),
    manifestSizeCap(
      10 * 1024 * 1024,
      errorAnswer(413, [{ code: 'MANIFEST_INVALID', message: 'Manifest exceeds maximum size' }]),
    ),
    missingChildren((digest) =>
      errorAnswer(404, [{ code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown', detail: digest }]),
    ),
    deleteTagUntags(),
    lowercaseTags(),
    relativeLocations(),
    // GT8: SERVE_DIRECT object storage.
    storageRedirect({ status: 307, refusal: 'S3' }),
    tagPaging({ linkOnLastPage: true }),
  ],
};
