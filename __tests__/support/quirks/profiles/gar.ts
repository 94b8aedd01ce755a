// Google Artifact Registry (§4).
import type { RegistryProfile } from '../profile.js';
import { bearerAuth } from '../rules/auth.js';
import { deleteTagUntags } from '../rules/deletes.js';
import { referrersToSignIn } from '../rules/referrers.js';
import { noChunkedUploads, uploadsOutsideV2 } from '../rules/uploads.js';

const login = { username: 'oauth2accesstoken', password: 'ya29.quirkprofile' };

export const gar: RegistryProfile = {
  id: 'gar',
  name: 'Google Artifact Registry',
  login,
  loginStep:
    'google-github-actions/auth (workload identity), then docker/login-action with `oauth2accesstoken`',
  deletesTags: true,
  referrers: 'tag',
  immutableTags: false,
  mixedFormats: true,
  rules: () => {
    const uploads = uploadsOutsideV2();
    return [
      // GAR9: the token endpoint refuses POST with 404.
      ...bearerAuth({
        service: 'us-docker.pkg.dev',
        tokenPath: '/v2/token',
        login,
        fields: 'both',
        refusePost: { status: 404, contentType: 'text/html', body: '<html>404 Not Found</html>' },
        uploadOwner: uploads.owner,
      }),
      uploads.rule,
      noChunkedUploads(),
      // GAR4: DELETE by tag untags.
      deleteTagUntags(),
      referrersToSignIn(),
    ];
  },
};
