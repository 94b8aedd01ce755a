import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { signJwt, type TokenAccess } from './jwt.js';
import { createSigningCertificate } from './signing-certificate.js';

/** What the token server saw and answered, one entry per HTTP request, so tests can assert on it. */
export interface TokenRequestRecord {
  method: string;
  path: string;
  /** Query fields (GET) or form fields (POST), exactly as received. */
  params: Record<string, string[]>;
  /**
   * How the caller identified itself: Basic header, OAuth2 grant, or not at all; 'invalid' when the request got no
   * further than that (wrong path or method, malformed header, unsupported grant_type).
   */
  grant: 'anonymous' | 'basic' | 'password' | 'refresh_token' | 'invalid';
  /** The username the caller presented, whether or not it was accepted. */
  username?: string;
  /** The requested scopes, one resource scope per entry. */
  scopes: string[];
  status: number;
  /** The `access` claim of the issued token: empty for anonymous callers and for refused requests. */
  granted: TokenAccess[];
}

/** A running distribution-protocol token server. */
export interface TestTokenServer {
  /** `http(s)://HOST:PORT/token`: the registry's `auth.token.realm`. */
  realm: string;
  service: string;
  issuer: string;
  /** PEM of the signing certificate: the registry's `auth.token.rootcertbundle`. */
  certificatePath: string;
  requests: TokenRequestRecord[];
  stop(): Promise<void>;
}

export interface TokenServerOptions {
  /** Where the signing key and certificate are written. */
  dir: string;
  username: string;
  password: string;
  /** Serve https with this certificate (PEM files) instead of plain HTTP. */
  tls?: { certificatePath: string; keyPath: string };
}

// Distribution warns that clients should not get tokens shorter than 60 s; 300 s is what Docker Hub hands out.
const TOKEN_LIFETIME_SECONDS = 300;
const MAX_FORM_BYTES = 64 * 1024;

interface Reply {
  status: number;
  body: unknown;
}

/** Who is asking: a known user, or nobody (anonymous). A refusal is a Reply instead. */
interface Caller {
  user: string | undefined;
}

/** Starts a token server on a free loopback port that knows one valid user. */
export async function startTokenServer(options: TokenServerOptions): Promise<TestTokenServer> {
  const signing = await createSigningCertificate(options.dir);
  const requests: TokenRequestRecord[] = [];
  const refreshTokens = new Map<string, string>();
  const listener: RequestListener = (req, res) => {
    handle(req).then(
      (reply) => send(res, reply),
      (error: unknown) =>
        send(res, { status: 500, body: { error: 'server_error', error_description: String(error) } }),
    );
  };
  const { tls } = options;
  const server =
    tls === undefined
      ? createServer(listener)
      : createHttpsServer(
          { cert: await readFile(tls.certificatePath), key: await readFile(tls.keyPath) },
          listener,
        );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const tokenServer: TestTokenServer = {
    realm: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}/token`,
    service: 'multiarch-publish-test-registry',
    issuer: 'multiarch-publish-test-token-issuer',
    certificatePath: signing.certificatePath,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function handle(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', tokenServer.realm);
    const params = req.method === 'POST' ? new URLSearchParams(await readForm(req)) : url.searchParams;
    const record: TokenRequestRecord = {
      method: req.method ?? '',
      path: url.pathname,
      params: groupParams(params),
      grant: 'invalid',
      scopes: [],
      status: 0,
      granted: [],
    };
    requests.push(record);
    const reply = decide(req, url.pathname, params, record);
    record.status = reply.status;
    return reply;
  }

  function decide(
    req: IncomingMessage,
    path: string,
    params: URLSearchParams,
    record: TokenRequestRecord,
  ): Reply {
    if (path !== '/token') return oauthError(404, 'not_found', `no such endpoint ${JSON.stringify(path)}`);
    if (req.method !== 'GET' && req.method !== 'POST') {
      return oauthError(405, 'invalid_request', `method ${req.method} is not GET or POST`);
    }
    const caller = req.method === 'GET' ? identifyBasic(req, record) : identifyGrant(params, record);
    if ('status' in caller) return caller;
    // GET repeats `scope`; the OAuth2 POST sends one space-separated `scope`.
    record.scopes =
      req.method === 'GET' ? params.getAll('scope') : (params.get('scope') ?? '').split(' ').filter(Boolean);
    const requested: TokenAccess[] = [];
    for (const scope of record.scopes) {
      const access = parseScope(scope);
      if (access === undefined) {
        return oauthError(400, 'invalid_scope', `scope ${JSON.stringify(scope)} is not type:name:actions`);
      }
      requested.push(access);
    }
    record.granted = caller.user === undefined ? [] : requested;
    return {
      status: 200,
      body: tokenResponse(caller.user, record, req.method === 'POST' ? params : undefined),
    };
  }

  function identifyBasic(req: IncomingMessage, record: TokenRequestRecord): Caller | Reply {
    const header = req.headers.authorization;
    if (header === undefined) {
      record.grant = 'anonymous';
      return { user: undefined };
    }
    const match = /^Basic\s+(\S+)$/i.exec(header);
    const decoded = match?.[1] === undefined ? '' : Buffer.from(match[1], 'base64').toString();
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      return oauthError(400, 'invalid_request', 'Authorization is not Basic base64(user:password)');
    }
    record.grant = 'basic';
    return checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1), record);
  }

  function identifyGrant(params: URLSearchParams, record: TokenRequestRecord): Caller | Reply {
    const grantType = params.get('grant_type');
    if (grantType === 'password') {
      record.grant = 'password';
      return checkPassword(params.get('username') ?? '', params.get('password') ?? '', record);
    }
    if (grantType === 'refresh_token') {
      record.grant = 'refresh_token';
      const username = refreshTokens.get(params.get('refresh_token') ?? '');
      if (username === undefined) return oauthError(401, 'invalid_grant', 'unknown refresh_token');
      record.username = username;
      return { user: username };
    }
    return oauthError(
      400,
      'unsupported_grant_type',
      `grant_type ${JSON.stringify(grantType)}: want password or refresh_token`,
    );
  }

  function checkPassword(username: string, password: string, record: TokenRequestRecord): Caller | Reply {
    record.username = username;
    if (username === options.username && password === options.password) return { user: username };
    return oauthError(401, 'invalid_grant', `wrong username or password for ${JSON.stringify(username)}`);
  }

  function tokenResponse(
    user: string | undefined,
    record: TokenRequestRecord,
    form: URLSearchParams | undefined,
  ) {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: tokenServer.issuer,
      sub: user ?? '',
      aud: tokenServer.service,
      exp: now + TOKEN_LIFETIME_SECONDS,
      nbf: now,
      iat: now,
      jti: randomUUID(),
      access: record.granted,
    };
    const token = signJwt(claims, signing.privateKey, signing.certificateDer);
    const body: Record<string, unknown> = {
      token,
      access_token: token,
      expires_in: TOKEN_LIFETIME_SECONDS,
      issued_at: new Date(now * 1000).toISOString(),
    };
    if (form === undefined) return body;
    body['scope'] = record.scopes.join(' ');
    if (user !== undefined && record.grant === 'password' && form.get('access_type') === 'offline') {
      const refreshToken = randomBytes(24).toString('hex');
      refreshTokens.set(refreshToken, user);
      body['refresh_token'] = refreshToken;
    }
    return body;
  }

  return tokenServer;
}

/** `repository:name:pull,push` → access entry; the name may itself hold a `:` (a registry port), so split at the ends. */
function parseScope(scope: string): TokenAccess | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last <= first + 1 || last === scope.length - 1) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope.slice(last + 1).split(','),
  };
}

function groupParams(params: URLSearchParams): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const [key, value] of params) (grouped[key] ??= []).push(value);
  return grouped;
}

async function readForm(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_FORM_BYTES) throw new Error(`form body larger than ${MAX_FORM_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString();
}

function oauthError(status: number, error: string, description: string): Reply {
  return { status, body: { error, error_description: description } };
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (reply.status === 401) headers['www-authenticate'] = 'Basic realm="multiarch-publish-test-token-server"';
  res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
}
