// How an emulated registry lets clients in. The backend runs without auth; these rules stand in front of it, so
// every profile can speak its own dialect: Bearer tokens from a token endpoint on another host (with the
// endpoint's own refusals and JSON shape), or Basic on every request (ECR).
import { randomBytes } from 'node:crypto';
import { answer, errorAnswer, header, type Exchange, type Rule } from '../exchange.js';

export interface Login {
  username: string;
  password: string;
}

export const basicHeader = ({ username, password }: Login): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** The action a request needs on its repository. */
function neededAction(exchange: Exchange, deleteAction: boolean): string {
  if (exchange.method === 'GET' || exchange.method === 'HEAD') return 'pull';
  return exchange.method === 'DELETE' && deleteAction ? 'delete' : 'push';
}

/** The repository an upload path outside `/v2/` belongs to (GAR's `/artifacts-uploads/…`), else undefined. */
export type UploadOwner = (exchange: Exchange) => string | undefined;

export interface BearerDialect {
  service: string;
  /** Where the token endpoint answers, on the token site. */
  tokenPath: string;
  login: Login;
  /** Which JSON fields carry the token (ACR: only `access_token`; Quay, old Hub, Gitea: only `token`). */
  fields: 'token' | 'access_token' | 'both';
  /** The answer to an OAuth2 POST, when the endpoint refuses it (GitLab and GCR 404, Harbor 405). */
  refusePost?: { status: number; contentType: string; body: string };
  /** DH4: a scope whose repository is not `<namespace>/<name>` fails the whole token request with 400. */
  strictRepositoryNames?: boolean;
  /** GT1: the challenge names `scope="*"` instead of the repository's scope. */
  starScope?: boolean;
  /** H1: several scopes packed into one `scope` parameter of the challenge. */
  packedScopes?: boolean;
  /** H1, DH7: deletes need the `delete` action (else `push` suffices). */
  deleteAction?: boolean;
  /** GH2: Basic credentials sent straight to `/v2/` are answered with this instead of a challenge. */
  basicRefused?: { status: number };
  uploadOwner?: UploadOwner;
}

/**
 * Bearer auth (distribution's token protocol). The token endpoint grants what the valid user asks for; anonymous
 * callers get a token without access (every registry here downscopes silently, DH2/Q1), so the refusal comes from
 * the registry afterwards, as on Docker Hub.
 */
export function bearerAuth(dialect: BearerDialect): Rule[] {
  const tokens = new Map<string, Set<string>>();
  const challenge = (tokenHost: string, scope: string | undefined, error?: string): string => {
    const parts = [`realm="http://${tokenHost}${dialect.tokenPath}"`, `service="${dialect.service}"`];
    if (scope !== undefined) parts.push(`scope="${dialect.starScope ? '*' : scope}"`);
    if (error !== undefined) parts.push(`error="${error}"`);
    return `Bearer ${parts.join(',')}`;
  };
  const tokenEndpoint: Rule = {
    quirk: 'X7 token endpoint dialect',
    before(exchange) {
      if (exchange.site !== 'token') return undefined;
      if (exchange.url.pathname !== dialect.tokenPath) return answer(404, 'not found');
      if (exchange.method === 'POST' && dialect.refusePost) {
        const { status, contentType, body } = dialect.refusePost;
        return answer(status, body, { 'content-type': contentType });
      }
      if (exchange.method !== 'GET') return answer(405);
      const authorization = header(exchange, 'authorization');
      const valid = authorization === basicHeader(dialect.login);
      if (authorization !== undefined && !valid) {
        return answer(401, JSON.stringify({ details: 'incorrect username or password' }), {
          'content-type': 'application/json',
        });
      }
      const scopes = exchange.url.searchParams.getAll('scope').flatMap((scope) => scope.split(' '));
      const granted = new Set<string>();
      for (const scope of scopes) {
        const [type, repo, actions] = scope.split(':');
        if (type !== 'repository' || repo === undefined || actions === undefined) continue;
        if (dialect.strictRepositoryNames && repo.split('/').length !== 2) {
          return answer(400, JSON.stringify({ details: 'invalid repository name' }), {
            'content-type': 'application/json',
          });
        }
        if (valid) for (const action of actions.split(',')) granted.add(`${repo}:${action}`);
      }
      // GT1: Gitea's token is the user's, whatever the scope (its challenge asks for `*`).
      if (valid && dialect.starScope) granted.add('*');
      const token = randomBytes(12).toString('hex');
      tokens.set(token, granted);
      const fields =
        dialect.fields === 'token'
          ? { token }
          : dialect.fields === 'access_token'
            ? { access_token: token }
            : { token, access_token: token, expires_in: 300 };
      return answer(200, JSON.stringify(fields), { 'content-type': 'application/json' });
    },
  };
  const gate: Rule = {
    quirk: 'token auth on every request',
    before(exchange, context) {
      if (exchange.site !== 'registry') return undefined;
      const authorization = header(exchange, 'authorization');
      if (dialect.basicRefused && authorization?.startsWith('Basic ')) {
        return errorAnswer(dialect.basicRefused.status, [{ code: 'DENIED', message: 'invalid token' }]);
      }
      const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
      const granted = token === undefined ? undefined : tokens.get(token);
      const repo = exchange.route?.repo ?? dialect.uploadOwner?.(exchange);
      if (repo === undefined) {
        return granted === undefined
          ? errorAnswer(401, [{ code: 'UNAUTHORIZED', message: 'authentication required' }], {
              'www-authenticate': challenge(context.hosts.token, undefined),
            })
          : undefined;
      }
      const action = neededAction(exchange, dialect.deleteAction === true);
      if (granted?.has(`${repo}:${action}`) || granted?.has('*')) return undefined;
      const actions = action === 'pull' ? 'pull' : action === 'push' ? 'pull,push' : 'delete';
      const scope = `repository:${repo}:${actions}`;
      const packed = dialect.packedScopes ? `${scope} repository:${repo}:pull` : scope;
      return errorAnswer(
        401,
        [
          {
            code: 'UNAUTHORIZED',
            message: 'authentication required',
            detail: [{ Type: 'repository', Name: repo, Action: action }],
          },
        ],
        {
          'www-authenticate': challenge(
            context.hosts.token,
            packed,
            granted === undefined ? undefined : 'insufficient_scope',
          ),
        },
      );
    },
  };
  return [tokenEndpoint, gate];
}

/** ECR1: Basic on every request, with ECR's realm; no token endpoint at all. */
export function basicAuth(login: Login): Rule {
  return {
    quirk: 'ECR1 Basic-only challenge',
    before(exchange, context) {
      if (exchange.site !== 'registry') return undefined;
      if (header(exchange, 'authorization') === basicHeader(login)) return undefined;
      return errorAnswer(401, [{ code: 'DENIED', message: 'Not Authorized' }], {
        'www-authenticate': `Basic realm="https://${context.hosts.registry}/",service="ecr.amazonaws.com"`,
      });
    },
  };
}
