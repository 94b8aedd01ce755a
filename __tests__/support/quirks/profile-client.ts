// Reads what an emulated registry serves, as any client would: a request, and on a 401 the challenge answered
// (Basic, or a token fetched with GET and Basic credentials, whichever field carries it). Independent of src/.
import { request } from 'undici';
import { harnessDispatcher } from '../../../testkit/harness-dispatcher.js';
import { sha256Digest } from '../../../testkit/digest.js';
import { basicHeader, type Login } from './rules/auth.js';

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface Served {
  status: number;
  contentType: string;
  bytes: Buffer;
  /** sha256 of the bytes. */
  digest: string;
}

function challengeParams(challenge: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of challenge.matchAll(/(\w+)="([^"]*)"/g)) params[match[1]!] = match[2]!;
  return params;
}

async function authorization(challenge: string, login: Login): Promise<string> {
  if (challenge.startsWith('Basic')) return basicHeader(login);
  const { realm, service, scope } = challengeParams(challenge);
  const url = new URL(realm ?? '');
  if (service !== undefined) url.searchParams.set('service', service);
  if (scope !== undefined) url.searchParams.set('scope', scope);
  const response = await request(url, {
    headers: { authorization: basicHeader(login) },
    dispatcher: harnessDispatcher,
  });
  const body = (await response.body.json()) as { token?: string; access_token?: string };
  return `Bearer ${body.token ?? body.access_token ?? ''}`;
}

/** GET `path` from the registry at `host`, logged in as `login`. */
export async function readThrough(host: string, login: Login, path: string): Promise<Served> {
  const url = `http://${host}${path}`;
  const send = (headers: Record<string, string>) =>
    request(url, { headers: { accept: ACCEPT, ...headers }, dispatcher: harnessDispatcher });
  let response = await send({});
  if (response.statusCode === 401) {
    const challenge = String(response.headers['www-authenticate'] ?? '');
    await response.body.dump();
    response = await send({ authorization: await authorization(challenge, login) });
  }
  const bytes = Buffer.from(await response.body.arrayBuffer());
  return {
    status: response.statusCode,
    contentType: String(response.headers['content-type'] ?? ''),
    bytes,
    digest: sha256Digest(bytes),
  };
}
