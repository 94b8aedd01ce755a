// Azure Container Registry (§5).
import { errorAnswer } from '../exchange.js';
import { LOCKED, type RegistryProfile } from '../profile.js';
import { bearerAuth } from '../rules/auth.js';
import { deleteTagUntags } from '../rules/deletes.js';
import { immutableTags } from '../rules/immutable-tags.js';
import { manifestSizeCap } from '../rules/manifest-checks.js';
import { tagPaging } from '../rules/reads.js';
import { referrersApi } from '../rules/referrers.js';
import { storageRedirect } from '../rules/storage-redirect.js';

const login = { username: '00000000-0000-0000-0000-000000000000', password: 'acr-refresh-token' };

const disallowed = errorAnswer(
  405,
  [
    {
      code: 'REGISTRY_DISALLOWED_OPERATION',
      message:
        'The operation is disallowed on this registry, repository or image. View troubleshooting steps at ' +
        'https://aka.ms/acr/faq/#why-does-my-pull-or-push-request-fail-with-disallowed-operation',
      detail: {},
    },
  ],
  { server: 'openresty', 'content-type': 'application/json; charset=utf-8' },
);

export const acr: RegistryProfile = {
  id: 'acr',
  name: 'Azure Container Registry',
  login,
  loginStep: 'azure/login, then `az acr login --name <registry>` (or docker/login-action with a token)',
  deletesTags: true,
  referrers: 'api',
  immutableTags: true,
  mixedFormats: true,
  rules: () => [
    // ACR1: the token endpoint answers only `access_token`.
    ...bearerAuth({ service: 'quirk.azurecr.io', tokenPath: '/oauth2/token', login, fields: 'access_token' }),
    // ACR4: a lock (write-enabled=false) refuses overwrite and delete alike.
    immutableTags({ repositories: LOCKED, refusal: () => disallowed }),
    manifestSizeCap(
      4 * 1024 * 1024,
      errorAnswer(413, [{ code: 'MANIFEST_INVALID', message: 'manifest too big' }]),
    ),
    storageRedirect({ status: 307, refusal: 'Azure' }),
    tagPaging({ ignoreN: true }),
    deleteTagUntags(),
    referrersApi({ subjectHeader: true }),
  ],
};
