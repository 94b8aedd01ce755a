// Amazon ECR, private (§3).
import { errorAnswer } from '../exchange.js';
import { LOCKED, type RegistryProfile } from '../profile.js';
import { basicAuth } from '../rules/auth.js';
import { deleteTagUntags } from '../rules/deletes.js';
import { immutableTags } from '../rules/immutable-tags.js';
import { convertsByTag, tagPaging } from '../rules/reads.js';
import { referrersApi } from '../rules/referrers.js';
import { storageRedirect } from '../rules/storage-redirect.js';
import { ecrChunks, mountOpensSession, uploadsOnAnotherHost } from '../rules/uploads.js';

const ACCOUNT = '123456789012';
const login = { username: 'AWS', password: 'ecr-authorization-token' };

export const ecr: RegistryProfile = {
  id: 'ecr',
  name: 'Amazon ECR',
  login,
  loginStep:
    'aws-actions/configure-aws-credentials, then aws-actions/amazon-ecr-login (user `AWS`, a 12-hour password)',
  deletesTags: true,
  referrers: 'api',
  immutableTags: true,
  mixedFormats: true,
  rules: () => [
    basicAuth(login),
    immutableTags({
      repositories: LOCKED,
      refusal: (repo, tag) =>
        errorAnswer(400, [
          {
            code: 'TAG_INVALID',
            message: `The image tag '${tag}' already exists in the '${repo}' repository and cannot be overwritten because the repository is immutable.`,
          },
        ]),
    }),
    mountOpensSession(),
    uploadsOnAnotherHost(),
    ecrChunks(ACCOUNT),
    storageRedirect({ status: 307, refusal: 'S3' }),
    convertsByTag(),
    tagPaging({ maxN: 1000, pageSize: 100 }),
    deleteTagUntags(),
    // ECR7: OCI 1.1 since 2024-06.
    referrersApi({ subjectHeader: true }),
  ],
};
