// GitHub Container Registry (§1).
import type { RegistryProfile } from '../profile.js';
import { bearerAuth } from '../rules/auth.js';
import { deleteUnsupported } from '../rules/deletes.js';
import { writeBurstLimit } from '../rules/rate-limits.js';
import { referrersToPackagePage } from '../rules/referrers.js';
import { storageRedirect } from '../rules/storage-redirect.js';

const login = { username: 'octocat', password: 'ghs_quirkprofiletoken' };

export const ghcr: RegistryProfile = {
  id: 'ghcr',
  name: 'GHCR',
  login,
  loginStep:
    '`github-token: ${{ github.token }}` with `permissions: packages: write` (or docker/login-action)',
  deletesTags: false,
  referrers: 'tag',
  immutableTags: false,
  mixedFormats: true,
  rules: () => [
    // GH1, GH2: a token even for anonymous reads; Basic straight to /v2/ is refused.
    ...bearerAuth({
      service: 'ghcr.io',
      tokenPath: '/token',
      login,
      fields: 'token',
      basicRefused: { status: 403 },
    }),
    writeBurstLimit(8, 1_000),
    storageRedirect({ status: 307, refusal: 'S3' }),
    deleteUnsupported(),
    referrersToPackagePage(),
  ],
};
