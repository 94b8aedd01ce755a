// Docker Hub (§2).
import type { RegistryProfile } from '../profile.js';
import { bearerAuth } from '../rules/auth.js';
import { deleteUnsupported } from '../rules/deletes.js';
import { pullAccounting } from '../rules/rate-limits.js';
import { referrersApi } from '../rules/referrers.js';
import { storageRedirect } from '../rules/storage-redirect.js';
import { uploadsOnAnotherHost } from '../rules/uploads.js';

const login = { username: 'hubuser', password: 'dckr_pat_quirkprofile' };

export const dockerHub: RegistryProfile = {
  id: 'dockerhub',
  name: 'Docker Hub',
  login,
  loginStep: 'docker/login-action with a personal access token (Read & Write)',
  deletesTags: false,
  referrers: 'api',
  immutableTags: false,
  mixedFormats: true,
  rules: () => [
    // DH1, DH2, DH4, DH7: repository names of exactly two parts, silent downscoping, a delete scope of its own.
    ...bearerAuth({
      service: 'registry.docker.io',
      tokenPath: '/token',
      login,
      fields: 'both',
      strictRepositoryNames: true,
      deleteAction: true,
    }),
    pullAccounting(10_000),
    storageRedirect({ status: 307, refusal: 'S3' }),
    uploadsOnAnotherHost(),
    deleteUnsupported(),
    // DH8: the referrers API since 2025.
    referrersApi({ subjectHeader: true }),
  ],
};
