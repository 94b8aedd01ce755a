// How a registry opens, answers and closes blob uploads (plan rows 2, 11, 12, 13; ECR3, ECR4, ECR5, ECRP2, Q2,
// H2, GT2, GAR1, GAR2, X8).
import { randomBytes } from 'node:crypto';
import { answer, errorAnswer, header, type Exchange, type Rule } from '../exchange.js';

const isMount = (exchange: Exchange): boolean =>
  exchange.site === 'registry' &&
  exchange.method === 'POST' &&
  exchange.route?.kind === 'uploads' &&
  exchange.url.searchParams.has('mount');

const withoutMount = (exchange: Exchange): string => {
  const query = new URLSearchParams(exchange.url.searchParams);
  query.delete('mount');
  query.delete('from');
  const rest = query.toString();
  return `${exchange.url.pathname}${rest === '' ? '' : `?${rest}`}`;
};

/** ECR3, ECRP2: the mount is ignored and a plain upload session (202) opened instead. */
export function mountOpensSession(): Rule {
  return {
    quirk: 'ECR3/ECRP2 mount answered with an upload session',
    before: (exchange, context) =>
      isMount(exchange) ? context.forward(exchange, { path: withoutMount(exchange) }) : undefined,
  };
}

/** Q2: a mount without `from` is a plain upload. */
export function mountNeedsFrom(): Rule {
  return {
    quirk: 'Q2 mount without from is a plain upload',
    before: (exchange, context) =>
      isMount(exchange) && !exchange.url.searchParams.has('from')
        ? context.forward(exchange, { path: withoutMount(exchange) })
        : undefined,
  };
}

/** H2: a mount from a project that does not exist is refused 401, not answered with a session. */
export function mountFromKnownProjects(projects: RegExp): Rule {
  return {
    quirk: 'H2 mount from an unknown project refused 401',
    before(exchange) {
      const from = exchange.url.searchParams.get('from');
      if (!isMount(exchange) || from === null) return undefined;
      const project = from.split('/')[0] ?? '';
      return projects.test(project)
        ? undefined
        : errorAnswer(401, [{ code: 'UNAUTHORIZED', message: `project ${project} not found` }]);
    },
  };
}

/** GT2, GT3, Q9: Locations relative to the registry (`/v2/…`). */
export function relativeLocations(): Rule {
  return {
    quirk: 'GT2/GT3 relative Locations',
    after(_exchange, reply, context) {
      const location = reply.headers['location'];
      const prefix = `http://${context.hosts.registry}`;
      if (location?.startsWith(prefix) !== true) return reply;
      return { ...reply, headers: { ...reply.headers, location: location.slice(prefix.length) } };
    },
  };
}

/** Row 11a (ECR, Quay, Hub): the upload session lives on another host, named absolutely. */
export function uploadsOnAnotherHost(): Rule {
  return {
    quirk: 'row 11a upload Location absolute on another host',
    after(exchange, reply, context) {
      const location = reply.headers['location'];
      if (exchange.route?.kind !== 'uploads' || reply.status !== 202 || location === undefined) return reply;
      const url = new URL(location, `http://${context.hosts.registry}`);
      url.host = context.hosts.uploads;
      return { ...reply, headers: { ...reply.headers, location: url.href } };
    },
  };
}

/** GAR2: the session's Location is relative and outside `/v2/`; the registry maps it back. */
export function uploadsOutsideV2(): { rule: Rule; owner: (exchange: Exchange) => string | undefined } {
  const sessions = new Map<string, { repo: string; path: string; query: URLSearchParams }>();
  const PATH = /^\/artifacts-uploads\/namespaces\/[^/]+\/repositories\/[^/]+\/uploads\/([a-f0-9]+)$/;
  const session = (exchange: Exchange) => sessions.get(PATH.exec(exchange.url.pathname)?.[1] ?? '');
  const rule: Rule = {
    quirk: 'GAR2 upload Location outside /v2/',
    before(exchange, context) {
      const known = exchange.site === 'registry' ? session(exchange) : undefined;
      if (known === undefined) return undefined;
      const query = new URLSearchParams(known.query);
      exchange.url.searchParams.forEach((value, name) => query.set(name, value));
      return context.forward(exchange, { path: `${known.path}?${query}` });
    },
    after(exchange, reply, context) {
      const location = reply.headers['location'];
      if (exchange.route?.kind !== 'uploads' || reply.status !== 202 || location === undefined) return reply;
      const backend = new URL(location, `http://${context.hosts.registry}`);
      const id = randomBytes(8).toString('hex');
      const [namespace, ...rest] = exchange.route.repo.split('/');
      sessions.set(id, { repo: exchange.route.repo, path: backend.pathname, query: backend.searchParams });
      const mapped = `/artifacts-uploads/namespaces/${namespace}/repositories/${rest.join('-') || namespace}/uploads/${id}`;
      return { ...reply, headers: { ...reply.headers, location: mapped } };
    },
  };
  return { rule, owner: (exchange) => session(exchange)?.repo };
}

/** GAR1: no chunked uploads; only a monolithic PUT (or POST) with the whole blob. */
export function noChunkedUploads(): Rule {
  return {
    quirk: 'GAR1 PATCH refused',
    before: (exchange) =>
      exchange.method === 'PATCH'
        ? errorAnswer(400, [{ code: 'BLOB_UPLOAD_INVALID', message: 'chunked upload not supported' }])
        : undefined,
  };
}

/**
 * ECR4, ECR5: a PATCH is answered 201; a later PATCH is answered the same but its body is dropped; a PATCH at the
 * wrong offset is 416; closing an upload that received no bytes is refused.
 */
export function ecrChunks(account: string): Rule {
  const received = new Map<string, number>();
  const id = (exchange: Exchange): string => exchange.url.pathname.split('/').pop() ?? '';
  return {
    quirk: 'ECR4/ECR5 PATCH semantics',
    async before(exchange, context) {
      const route = exchange.route;
      if (route?.kind !== 'uploads' || route.reference === '') return undefined;
      const soFar = received.get(id(exchange));
      if (exchange.method === 'PATCH') {
        const range = /^(\d+)-/.exec(header(exchange, 'content-range') ?? '');
        if (range !== null && Number(range[1]) !== (soFar ?? 0)) {
          return errorAnswer(416, [
            {
              code: 'BLOB_UPLOAD_INVALID',
              message: `First byte of the layer part is ${range[1]} instead of ${soFar ?? 0}`,
            },
          ]);
        }
        if (soFar !== undefined) return answer(201, '', { range: `0-${soFar - 1}` });
        const reply = await context.forward(exchange);
        received.set(id(exchange), exchange.body.length);
        return reply.status === 202 ? { ...reply, status: 201 } : reply;
      }
      if (exchange.method === 'PUT' && (soFar ?? 0) + exchange.body.length === 0) {
        return errorAnswer(400, [
          {
            code: 'BLOB_UPLOAD_INVALID',
            message:
              `The upload with id '${id(exchange)}' in the repository with name '${route.repo}' in registry with id ` +
              `'${account}' cannot be completed because it does not have any parts.`,
          },
        ]);
      }
      return undefined;
    },
  };
}
