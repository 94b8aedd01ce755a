// JFrog Artifactory (§8).
import type { RegistryProfile } from '../profile.js';
import { bearerAuth } from '../rules/auth.js';
import { deleteTagUntags } from '../rules/deletes.js';
import { absentManifestForbidden, tagListNeedsJsonAccept } from '../rules/reads.js';
import { referrersApi } from '../rules/referrers.js';

const login = { username: 'ci-user', password: 'artifactory-identity-token' };

export const artifactory: RegistryProfile = {
  id: 'artifactory',
  name: 'JFrog Artifactory',
  login,
  loginStep: 'docker/login-action with a user and an identity token (or jfrog/setup-jfrog-cli with OIDC)',
  deletesTags: true,
  referrers: 'api',
  immutableTags: false,
  mixedFormats: true,
  rules: () => [
    // AF5: the POST to the token endpoint refused 401 (TOKEN_POST_REFUSED).
    ...bearerAuth({
      service: 'artifactory',
      tokenPath: '/artifactory/api/docker/docker-local/v2/token',
      login,
      fields: 'both',
      refusePost: {
        status: 401,
        contentType: 'application/json',
        body: '{"errors":[{"code":"UNAUTHORIZED"}]}',
      },
    }),
    absentManifestForbidden('docker-local'),
    tagListNeedsJsonAccept(),
    deleteTagUntags(),
    // AF7: since 7.90.1.
    referrersApi({ subjectHeader: true }),
  ],
};
