// A registry answering at the wire through undici's MockAgent, for what the real test registry (distribution 2.8)
// cannot show: the OCI 1.1 referrers API and the `OCI-Subject` answer to a manifest with a `subject`. It stores
// exact bytes per repository and serves manifests, blobs, mounts, tag lists and referrers; every request is logged.
import type { MockAgent } from 'undici';
import { sha256Digest } from '../../testkit/digest.js';
import { MEDIA_TYPES } from '../../testkit/media-types.js';

interface StoredManifest {
  mediaType: string;
  bytes: Buffer;
}

interface MockRepo {
  manifests: Map<string, StoredManifest>;
  tags: Map<string, string>;
  blobs: Map<string, Buffer>;
}

export interface MockOciRegistryOptions {
  /** Serve `GET /v2/<name>/referrers/<digest>` (else 404, as registries without the API). */
  referrersApi: boolean;
  /** Answer a manifest PUT with a `subject` with `OCI-Subject` (a registry that indexes subjects itself). */
  indexesSubjects: boolean;
  /** Refuse tag lists with 403, as ECR does for a role without ecr:ListImages (default: list them). */
  refusesTagList?: boolean;
}

interface Reply {
  statusCode: number;
  data?: string | Buffer;
  responseOptions?: { headers: Record<string, string> };
}

export class MockOciRegistry {
  readonly requests: string[] = [];
  readonly #repos = new Map<string, MockRepo>();

  constructor(
    agent: MockAgent,
    origin: string,
    readonly options: MockOciRegistryOptions,
  ) {
    agent
      .get(origin)
      .intercept({ path: () => true, method: () => true })
      .reply(async (request) => {
        const body = await readBody(request.body);
        const path = request.path;
        this.requests.push(`${request.method} ${path}`);
        return this.#answer(request.method, new URL(path, origin), body);
      })
      .persist();
  }

  repo(name: string): MockRepo {
    let repo = this.#repos.get(name);
    if (repo === undefined) {
      repo = { manifests: new Map(), tags: new Map(), blobs: new Map() };
      this.#repos.set(name, repo);
    }
    return repo;
  }

  /** Stores a blob; returns its descriptor. */
  blob(repo: string, mediaType: string, text: string): { mediaType: string; digest: string; size: number } {
    const bytes = Buffer.from(text);
    const digest = sha256Digest(bytes);
    this.repo(repo).blobs.set(digest, bytes);
    return { mediaType, digest, size: bytes.byteLength };
  }

  /** Stores a manifest (and tags it); returns its descriptor. */
  manifest(repo: string, doc: { mediaType: string }, tag?: string) {
    const bytes = Buffer.from(JSON.stringify(doc));
    const digest = sha256Digest(bytes);
    this.repo(repo).manifests.set(digest, { mediaType: doc.mediaType, bytes });
    if (tag !== undefined) this.repo(repo).tags.set(tag, digest);
    return { mediaType: doc.mediaType, digest, size: bytes.byteLength };
  }

  #answer(method: string, url: URL, body: Buffer): Reply {
    if (url.pathname === '/v2/') return { statusCode: 200 };
    const upload = /^\/v2\/(.+)\/blobs\/uploads\/$/.exec(url.pathname);
    if (upload && method === 'POST') return this.#mount(upload[1]!, url.searchParams);
    const match = /^\/v2\/(.+)\/(manifests|blobs|tags|referrers)\/([^/]+)$/.exec(url.pathname);
    if (!match) return { statusCode: 404 };
    const [, name, kind, reference] = match as unknown as [string, string, string, string];
    const repo = this.repo(name);
    if (kind === 'tags') {
      return this.options.refusesTagList ? { statusCode: 403 } : json({ name, tags: [...repo.tags.keys()] });
    }
    if (kind === 'referrers') return this.#referrers(repo, reference, url.searchParams.get('artifactType'));
    if (kind === 'blobs') {
      const blob = repo.blobs.get(reference);
      if (blob === undefined) return { statusCode: 404 };
      return {
        statusCode: 200,
        data: method === 'HEAD' ? '' : blob,
        responseOptions: { headers: { 'content-length': String(blob.byteLength) } },
      };
    }
    if (method === 'PUT') return this.#put(repo, reference, body);
    const digest = reference.startsWith('sha256:') ? reference : repo.tags.get(reference);
    const stored = digest === undefined ? undefined : repo.manifests.get(digest);
    if (digest === undefined || stored === undefined) return { statusCode: 404 };
    const headers = {
      'content-type': stored.mediaType,
      'content-length': String(stored.bytes.byteLength),
      'docker-content-digest': digest,
    };
    return { statusCode: 200, data: method === 'HEAD' ? '' : stored.bytes, responseOptions: { headers } };
  }

  #put(repo: MockRepo, reference: string, body: Buffer): Reply {
    const doc = JSON.parse(body.toString('utf8')) as { mediaType: string; subject?: { digest: string } };
    const digest = sha256Digest(body);
    repo.manifests.set(digest, { mediaType: doc.mediaType, bytes: body });
    if (!reference.startsWith('sha256:')) repo.tags.set(reference, digest);
    const headers: Record<string, string> = { 'docker-content-digest': digest };
    if (doc.subject !== undefined && this.options.indexesSubjects)
      headers['oci-subject'] = doc.subject.digest;
    return { statusCode: 201, responseOptions: { headers } };
  }

  #mount(name: string, query: URLSearchParams): Reply {
    const digest = query.get('mount') ?? '';
    const blob = this.repo(query.get('from') ?? '').blobs.get(digest);
    if (blob === undefined) return { statusCode: 404 };
    this.repo(name).blobs.set(digest, blob);
    return { statusCode: 201, responseOptions: { headers: { location: `/v2/${name}/blobs/${digest}` } } };
  }

  #referrers(repo: MockRepo, subject: string, artifactType: string | null): Reply {
    if (!this.options.referrersApi) return { statusCode: 404 };
    const manifests = [...repo.manifests.entries()].flatMap(([digest, stored]) => {
      const doc = JSON.parse(stored.bytes.toString('utf8')) as {
        artifactType?: string;
        config?: { mediaType: string };
        subject?: { digest: string };
      };
      const type = doc.artifactType ?? doc.config?.mediaType;
      if (doc.subject?.digest !== subject || (artifactType !== null && type !== artifactType)) return [];
      return [{ mediaType: stored.mediaType, digest, size: stored.bytes.byteLength, artifactType: type }];
    });
    const reply = json({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests });
    reply.responseOptions!.headers['content-type'] = MEDIA_TYPES.ociIndex;
    if (artifactType !== null) reply.responseOptions!.headers['oci-filters-applied'] = 'artifactType';
    return reply;
  }
}

function json(value: unknown): Reply & { responseOptions: { headers: Record<string, string> } } {
  return {
    statusCode: 200,
    data: JSON.stringify(value),
    responseOptions: { headers: { 'content-type': 'application/json' } },
  };
}

async function readBody(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string' || body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
