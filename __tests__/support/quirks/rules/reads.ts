// How a registry answers reads differently from distribution (plan rows 14, 15, 19; ECR8, ECR11, AF1, AF2, Q12,
// ACR7, GT7).
import { createHash } from 'node:crypto';
import {
  answer,
  errorAnswer,
  header,
  isDigest,
  jsonBody,
  type Answer,
  type Exchange,
  type Rule,
} from '../exchange.js';

const OCI_TO_DOCKER: Record<string, string> = {
  'application/vnd.oci.image.manifest.v1+json': 'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json': 'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.config.v1+json': 'application/vnd.docker.container.image.v1+json',
  'application/vnd.oci.image.layer.v1.tar+gzip': 'application/vnd.docker.image.rootfs.diff.tar.gzip',
};

const isManifestRead = (exchange: Exchange): boolean =>
  exchange.site === 'registry' &&
  exchange.route?.kind === 'manifests' &&
  (exchange.method === 'GET' || exchange.method === 'HEAD');

/** ECR8: a tag read whose Accept lacks the stored OCI type is converted to Docker types, with a new digest. */
export function convertsByTag(): Rule {
  return {
    quirk: 'ECR8 manifest converted to an accepted type, by tag',
    after(exchange, reply) {
      if (!isManifestRead(exchange) || isDigest(exchange.route!.reference) || reply.status !== 200)
        return reply;
      const stored = reply.headers['content-type'] ?? '';
      const converted = OCI_TO_DOCKER[stored];
      const accept = header(exchange, 'accept') ?? '';
      if (converted === undefined || accept.includes(stored) || !accept.includes(converted)) return reply;
      let text = exchange.method === 'HEAD' ? '' : reply.body.toString('utf8');
      for (const [oci, docker] of Object.entries(OCI_TO_DOCKER)) text = text.split(oci).join(docker);
      const body = Buffer.from(text);
      const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      return {
        ...reply,
        body,
        headers: { ...reply.headers, 'content-type': converted, 'docker-content-digest': digest },
      };
    },
  };
}

/** AF1: an absent manifest is a 403 (with no body on HEAD). */
export function absentManifestForbidden(repositoryKey: string): Rule {
  return {
    quirk: 'AF1 absent manifest answered 403',
    after(exchange, reply) {
      if (!isManifestRead(exchange) || reply.status !== 404) return reply;
      const { repo, reference } = exchange.route!;
      return errorAnswer(403, [
        {
          code: 'UNAUTHORIZED',
          message:
            `The client does not have permission for manifest: Download request for repo:path ` +
            `'${repositoryKey}:${repo}/${reference}/list.manifest.json' is forbidden for user: 'token:x'.`,
          detail: { manifest: repo },
        },
      ]);
    },
  };
}

/** AF2 (old Artifactory): a tag list whose Accept lacks application/json is 406. */
export function tagListNeedsJsonAccept(): Rule {
  return {
    quirk: 'AF2 tags/list 406 without application/json',
    before(exchange) {
      if (exchange.site !== 'registry' || exchange.route?.kind !== 'tags') return undefined;
      const accept = header(exchange, 'accept') ?? '';
      return accept === '' || accept.includes('application/json') || accept.includes('*/*')
        ? undefined
        : answer(406);
    },
  };
}

export interface TagPaging {
  /** ECR11: a larger `n` is refused 400. */
  maxN?: number;
  /** The page size without `n` (ECR: 100), or the clamp (Quay: 100). */
  pageSize?: number;
  clampTo?: number;
  /** ACR7: `n` ignored, everything at once. */
  ignoreN?: boolean;
  /** Q12: the Link is absolute. */
  absoluteLink?: boolean;
  /** GT7: a Link on every non-empty page, the last one included. */
  linkOnLastPage?: boolean;
}

/** Row 15: the registry's own tag-list paging over the backend's whole list. */
export function tagPaging(paging: TagPaging): Rule {
  return {
    quirk: 'row 15 tag-list pagination',
    async before(exchange, context): Promise<Answer | undefined> {
      const route = exchange.route;
      if (exchange.site !== 'registry' || route?.kind !== 'tags' || exchange.method !== 'GET')
        return undefined;
      const all = await context.forward(exchange, { path: `/v2/${route.repo}/tags/list` });
      if (all.status !== 200) return all;
      const tags = ((jsonBody(all.body)?.['tags'] as string[] | null) ?? []).sort();
      const asked = exchange.url.searchParams.get('n');
      if (asked !== null && paging.maxN !== undefined && Number(asked) > paging.maxN) {
        return errorAnswer(400, [
          {
            code: 'UNSUPPORTED',
            message: `Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to ${paging.maxN}'`,
          },
        ]);
      }
      let size = asked === null ? (paging.pageSize ?? tags.length) : Number(asked);
      if (paging.clampTo !== undefined) size = Math.min(size, paging.clampTo);
      if (paging.ignoreN) size = tags.length;
      const last = exchange.url.searchParams.get('last');
      const rest = last === null ? tags : tags.filter((tag) => tag > last);
      const page = rest.slice(0, size);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const more = rest.length > page.length || (paging.linkOnLastPage === true && page.length > 0);
      if (more) {
        const next = `/v2/${route.repo}/tags/list?n=${size}&last=${encodeURIComponent(page[page.length - 1] ?? '')}`;
        headers['link'] =
          `<${paging.absoluteLink ? `http://${context.hosts.registry}${next}` : next}>; rel="next"`;
      }
      return answer(200, JSON.stringify({ name: route.repo, tags: page }), headers);
    },
  };
}

/** GT5: tags are stored lowercased, so every tag reference is read and written lowercased. */
export function lowercaseTags(): Rule {
  return {
    quirk: 'GT5 tags lowercased',
    before(exchange, context) {
      const route = exchange.route;
      if (exchange.site !== 'registry' || route?.kind !== 'manifests' || isDigest(route.reference))
        return undefined;
      const lower = route.reference.toLowerCase();
      if (lower === route.reference) return undefined;
      return context.forward(exchange, {
        path: `/v2/${route.repo}/manifests/${lower}${exchange.url.search}`,
      });
    },
  };
}
