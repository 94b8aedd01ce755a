// How a registry answers DELETE of a tag (plan rows 4 and 18; B2, B3, GH8, DH7, H4, GL4, GT6, Q10).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ACCEPT_MANIFESTS, answer, errorAnswer, isDigest, type Exchange, type Rule } from '../exchange.js';

const isManifestDelete = (exchange: Exchange): boolean =>
  exchange.site === 'registry' && exchange.method === 'DELETE' && exchange.route?.kind === 'manifests';

/**
 * Distribution 3, GitLab ≥ 16.4, Gitea, Quay, GAR: DELETE of a tag untags it. Distribution 2.8 (the backend)
 * deletes by digest only, so the tag is removed from its storage directly, as distribution 3 would.
 */
export function deleteTagUntags(): Rule {
  return {
    quirk: 'B3 (v3) DELETE by tag untags',
    async before(exchange, context) {
      if (!isManifestDelete(exchange) || isDigest(exchange.route!.reference)) return undefined;
      const { repo, reference } = exchange.route!;
      const held = await context.forward(exchange, { method: 'HEAD', headers: ACCEPT_MANIFESTS });
      if (held.status !== 200) {
        return errorAnswer(404, [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }]);
      }
      const dir = join(
        context.storageDir,
        'docker/registry/v2/repositories',
        repo,
        '_manifests/tags',
        reference,
      );
      await rm(dir, { recursive: true, force: true });
      return answer(202);
    },
  };
}

/** GH8, DH7, B2: no DELETE through the registry API at all. */
export function deleteUnsupported(): Rule {
  return {
    quirk: 'GH8/DH7 DELETE answered 405 UNSUPPORTED',
    before(exchange) {
      if (!isManifestDelete(exchange)) return undefined;
      return errorAnswer(405, [{ code: 'UNSUPPORTED', message: 'The operation is unsupported.' }], {
        'content-type': 'application/json; charset=utf-8',
      });
    },
  };
}

/** H4: Harbor deletes artifacts by digest only; a tag is answered 400 UNSUPPORTED. */
export function deleteByDigestOnly(): Rule {
  return {
    quirk: 'H4 DELETE by tag answered 400 UNSUPPORTED',
    before(exchange) {
      if (!isManifestDelete(exchange) || isDigest(exchange.route!.reference)) return undefined;
      return errorAnswer(400, [
        { code: 'UNSUPPORTED', message: `unsupported digest ${exchange.route!.reference}` },
      ]);
    },
  };
}
