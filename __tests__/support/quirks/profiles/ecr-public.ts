// Amazon ECR Public (§3b).
import type { RegistryProfile } from '../profile.js';
import { bearerAuth } from '../rules/auth.js';
import { deleteTagUntags } from '../rules/deletes.js';
import { referrersApi } from '../rules/referrers.js';
import { storageRedirect } from '../rules/storage-redirect.js';
import { mountOpensSession } from '../rules/uploads.js';

const login = { username: 'AWS', password: 'ecr-public-authorization-token' };

export const ecrPublic: RegistryProfile = {
  id: 'ecrpublic',
  name: 'Amazon ECR Public',
  login,
  loginStep: 'aws-actions/amazon-ecr-login with `registry-type: public` (region us-east-1)',
  deletesTags: true,
  referrers: 'api',
  immutableTags: false,
  mixedFormats: true,
  rules: () => [
    // ECRP1: the token endpoint at /token/ with a trailing slash.
    ...bearerAuth({ service: 'public.ecr.aws', tokenPath: '/token/', login, fields: 'token' }),
    // ECRP2: every mount answered with a plain session, its Location absolute.
    mountOpensSession(),
    storageRedirect({ status: 307, refusal: 'S3' }),
    deleteTagUntags(),
    referrersApi({ subjectHeader: true }),
  ],
};
