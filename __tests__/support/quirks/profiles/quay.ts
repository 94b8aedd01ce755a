// Quay.io / Red Hat Quay (§6).
import { errorAnswer } from '../exchange.js';
import { LOCKED, type RegistryProfile } from '../profile.js';
import { bearerAuth } from '../rules/auth.js';
import { deleteTagUntags } from '../rules/deletes.js';
import { immutableTags } from '../rules/immutable-tags.js';
import { contentTypeRequired, missingChildren, mixedIndexRefused } from '../rules/manifest-checks.js';
import { tagPaging } from '../rules/reads.js';
import { referrersApi } from '../rules/referrers.js';
import { storageRedirect } from '../rules/storage-redirect.js';
import { mountNeedsFrom, uploadsOnAnotherHost } from '../rules/uploads.js';

const login = { username: 'quirk+robot', password: 'QUAYROBOTTOKEN' };

export const quay: RegistryProfile = {
  id: 'quay',
  name: 'Quay',
  login,
  loginStep: 'docker/login-action with a robot account (`org+robot` and its token)',
  deletesTags: true,
  referrers: 'api',
  immutableTags: true,
  mixedFormats: false,
  rules: () => [
    // Q1: only `token` in the answer.
    ...bearerAuth({ service: 'quay.io', tokenPath: '/v2/auth', login, fields: 'token' }),
    // Q11 (FEATURE_IMMUTABLE_TAGS).
    immutableTags({
      repositories: LOCKED,
      refusal: (_repo, tag) =>
        errorAnswer(409, [
          {
            code: 'TAG_IMMUTABLE',
            message: 'tag is immutable and cannot be overwritten',
            detail: { message: `tag '${tag}' is immutable` },
          },
        ]),
    }),
    contentTypeRequired(),
    mixedIndexRefused(),
    missingChildren((digest) =>
      errorAnswer(400, [
        {
          code: 'MANIFEST_INVALID',
          message: 'manifest invalid',
          detail: { message: `Could not find child manifest with digest \`${digest}\`` },
        },
      ]),
    ),
    mountNeedsFrom(),
    uploadsOnAnotherHost(),
    storageRedirect({ status: 302, refusal: 'S3' }),
    tagPaging({ clampTo: 100, absoluteLink: true }),
    deleteTagUntags(),
    // Q8: supported, but strict about unknown subjects and silent about indexed ones.
    referrersApi({ subjectHeader: false, unknownSubjectRefused: true }),
  ],
};
