// Harbor (§7).
import { errorAnswer } from '../exchange.js';
import { LOCKED, type RegistryProfile } from '../profile.js';
import { bearerAuth } from '../rules/auth.js';
import { deleteByDigestOnly } from '../rules/deletes.js';
import { immutableTags } from '../rules/immutable-tags.js';
import { manifestSizeCap } from '../rules/manifest-checks.js';
import { referrersApi } from '../rules/referrers.js';
import { storageRedirect } from '../rules/storage-redirect.js';
import { mountFromKnownProjects } from '../rules/uploads.js';

const login = { username: 'robot$ci', password: 'harbor-robot-secret' };

export const harbor: RegistryProfile = {
  id: 'harbor',
  name: 'Harbor',
  login,
  loginStep: 'docker/login-action with a robot account (`robot$project+name` and its secret)',
  deletesTags: false,
  referrers: 'api',
  immutableTags: true,
  mixedFormats: true,
  rules: () => [
    // H1: several scopes in one challenge parameter, a delete action, POST to the token endpoint refused.
    ...bearerAuth({
      service: 'harbor-registry',
      tokenPath: '/service/token',
      login,
      fields: 'both',
      packedScopes: true,
      deleteAction: true,
      refusePost: { status: 405, contentType: 'text/plain', body: 'Method Not Allowed' },
    }),
    // H3: a tag-immutability rule.
    immutableTags({
      repositories: LOCKED,
      refusal: (repo, tag) =>
        errorAnswer(412, [
          {
            code: 'PRECONDITION',
            message: `Failed to process request due to '${repo}:${tag}' configured as immutable.`,
          },
        ]),
    }),
    manifestSizeCap(
      4 * 1024 * 1024,
      errorAnswer(413, [{ code: 'REQUEST_ENTITY_TOO_LARGE', message: 'the manifest is too large' }]),
    ),
    mountFromKnownProjects(/^(harbor|library)$/),
    storageRedirect({ status: 307, refusal: 'S3' }),
    deleteByDigestOnly(),
    referrersApi({ subjectHeader: true }),
  ],
};
