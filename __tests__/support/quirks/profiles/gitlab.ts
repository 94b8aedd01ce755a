// GitLab container registry (§9).
import type { RegistryProfile } from '../profile.js';
import { bearerAuth } from '../rules/auth.js';
import { deleteTagUntags } from '../rules/deletes.js';
import { customConfigRefused } from '../rules/manifest-checks.js';
import { digestTagIsTheDigest } from '../rules/referrers.js';

const login = { username: 'gitlab-ci-token', password: 'glcbt-quirkprofile' };

export const gitlab: RegistryProfile = {
  id: 'gitlab',
  name: 'GitLab',
  login,
  loginStep: 'docker/login-action with a deploy token or `gitlab-ci-token` and `CI_JOB_TOKEN`',
  deletesTags: true,
  referrers: 'cosign tags only',
  immutableTags: false,
  mixedFormats: true,
  rules: () => [
    // GL1: the realm on another host (the token site), POST answered with an HTML 404.
    ...bearerAuth({
      service: 'container_registry',
      tokenPath: '/jwt/auth',
      login,
      fields: 'both',
      refusePost: { status: 404, contentType: 'text/html', body: '<html><body>404 Not Found</body></html>' },
    }),
    customConfigRefused(),
    // GL4: DELETE by tag since 16.4.
    deleteTagUntags(),
    // GL2: no referrers API (the backend's 404), and the referrers tag read as the digest it names.
    digestTagIsTheDigest(),
  ],
};
