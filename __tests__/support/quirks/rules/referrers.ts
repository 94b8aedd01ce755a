// Plan row 3 (GH9, GL2, GAR6, Q8, B4, H7, ACR8, DH8, AF7): the referrers API, absent in its several shapes, or
// present. Distribution 2.8 has none (its 404 passes through untouched), so a registry that has one is emulated
// here: the subjects of manifests pushed through the profile, plus the referrers tag a client left in the backend.
import {
  ACCEPT_MANIFESTS,
  answer,
  errorAnswer,
  isDigest,
  jsonBody,
  type Exchange,
  type QuirkContext,
  type Rule,
} from '../exchange.js';

const INDEX = 'application/vnd.oci.image.index.v1+json';
const HTML = { 'content-type': 'text/html; charset=utf-8' };

const isReferrersGet = (exchange: Exchange): boolean =>
  exchange.site === 'registry' && exchange.method === 'GET' && exchange.route?.kind === 'referrers';

/** GH9: a 303 to a package page of github.com, which answers 429, then 404, in HTML. */
export function referrersToPackagePage(): Rule {
  let pageVisits = 0;
  return {
    quirk: 'GH9 referrers answered 303 to an HTML page',
    before(exchange, context) {
      if (exchange.site === 'web') {
        pageVisits += 1;
        return answer(
          pageVisits === 1 ? 429 : 404,
          '<!DOCTYPE html><html><body>Page not found</body></html>',
          HTML,
        );
      }
      if (!isReferrersGet(exchange)) return undefined;
      const name = encodeURIComponent(
        `${exchange.route!.repo}/referrers/${exchange.route!.reference.slice(0, 15)}`,
      );
      return answer(303, '', {
        location: `http://${context.hosts.web}/-/v2/packages/container/package/${name}`,
      });
    },
  };
}

/** GAR6 (older Artifact Registry): a 302 to Google's sign-in page. */
export function referrersToSignIn(): Rule {
  return {
    quirk: 'GAR6 referrers redirected to a sign-in page',
    before(exchange, context) {
      if (exchange.site === 'web')
        return answer(200, '<html><body>Sign in - Google Accounts</body></html>', HTML);
      if (!isReferrersGet(exchange)) return undefined;
      return answer(302, '', { location: `http://${context.hosts.web}/ServiceLogin?continue=referrers` });
    },
  };
}

/** GL2: the referrers tag `sha256-<hex>` resolves to the manifest `sha256:<hex>` itself. */
export function digestTagIsTheDigest(): Rule {
  return {
    quirk: 'GL2 sha256-<hex> tag read as the digest',
    before(exchange, context) {
      const route = exchange.route;
      if (exchange.site !== 'registry' || route?.kind !== 'manifests') return undefined;
      if (!/^sha256-[a-f0-9]{64}$/.test(route.reference)) return undefined;
      if (exchange.method !== 'GET' && exchange.method !== 'HEAD') return undefined;
      return context.forward(exchange, {
        path: `/v2/${route.repo}/manifests/${route.reference.replace('-', ':')}`,
      });
    },
  };
}

export interface ReferrersApi {
  /** H7, ACR, ECR: the manifest PUT answer says the subject was indexed. Quay never does (Q8). */
  subjectHeader: boolean;
  /** Q8: an unknown subject is answered 400 MANIFEST_INVALID, not an empty index. */
  unknownSubjectRefused?: boolean;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** A referrers API on top of a registry that has none. */
export function referrersApi(options: ReferrersApi): Rule {
  const indexed = new Map<string, Descriptor[]>();
  const key = (repo: string, digest: string): string => `${repo}@${digest}`;
  const fromTag = async (
    exchange: Exchange,
    context: QuirkContext,
    digest: string,
  ): Promise<Descriptor[]> => {
    const tag = await context.forward(exchange, {
      method: 'GET',
      path: `/v2/${exchange.route!.repo}/manifests/${digest.replace(':', '-')}`,
      headers: { accept: INDEX },
    });
    if (tag.status !== 200) return [];
    return ((jsonBody(tag.body)?.['manifests'] as Descriptor[] | undefined) ?? []).slice();
  };
  return {
    quirk: 'referrers API (OCI 1.1)',
    async before(exchange, context) {
      if (!isReferrersGet(exchange)) return undefined;
      const { repo, reference: digest } = exchange.route!;
      if (!isDigest(digest)) return errorAnswer(400, [{ code: 'DIGEST_INVALID', message: 'invalid digest' }]);
      const listed = [...(indexed.get(key(repo, digest)) ?? [])];
      for (const entry of await fromTag(exchange, context, digest)) {
        if (!listed.some((known) => known.digest === entry.digest)) listed.push(entry);
      }
      if (listed.length === 0 && options.unknownSubjectRefused) {
        const subject = await context.forward(exchange, {
          method: 'HEAD',
          path: `/v2/${repo}/manifests/${digest}`,
          headers: ACCEPT_MANIFESTS,
        });
        if (subject.status !== 200) {
          return errorAnswer(400, [{ code: 'MANIFEST_INVALID', message: 'manifest invalid' }]);
        }
      }
      const wanted = exchange.url.searchParams.get('artifactType');
      const manifests = wanted === null ? listed : listed.filter((entry) => entry.artifactType === wanted);
      const headers: Record<string, string> = { 'content-type': INDEX };
      if (wanted !== null) headers['oci-filters-applied'] = 'artifactType';
      return answer(200, JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests }), headers);
    },
    after(exchange, reply) {
      const route = exchange.route;
      if (exchange.site !== 'registry' || exchange.method !== 'PUT' || route?.kind !== 'manifests')
        return reply;
      if (reply.status !== 201) return reply;
      const manifest = jsonBody(exchange.body);
      const subject = manifest?.['subject'] as { digest?: string } | undefined;
      if (manifest === undefined || subject?.digest === undefined) return reply;
      const config = manifest['config'] as { mediaType?: string } | undefined;
      const entry: Descriptor = {
        mediaType: String(manifest['mediaType']),
        digest: reply.headers['docker-content-digest'] ?? '',
        size: exchange.body.length,
        artifactType: (manifest['artifactType'] as string | undefined) ?? config?.mediaType ?? '',
        ...(manifest['annotations']
          ? { annotations: manifest['annotations'] as Record<string, string> }
          : {}),
      };
      const list = indexed.get(key(route.repo, subject.digest)) ?? [];
      if (!list.some((known) => known.digest === entry.digest)) list.push(entry);
      indexed.set(key(route.repo, subject.digest), list);
      return options.subjectHeader
        ? { ...reply, headers: { ...reply.headers, 'oci-subject': subject.digest } }
        : reply;
    },
  };
}
