import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { MockAgent } from 'undici';
import { RunBounds } from '../../../src/action/run-bounds.js';
import { createRegistryClient } from '../../../src/registry/create-client.js';
import { staticStore } from '../../../src/registry/credentials/chain.js';
import { recordingLogger } from '../../support/loggers.js';
import { InvalidDigestError } from '../../../src/oci/oci-error.js';
import type { Descriptor } from '../../../src/oci/manifest.js';
import type { RepositoryName } from '../../../src/oci/reference.js';
import type { BlobTransfer, RegistryApi } from '../../../src/registry/api.js';
import {
  ALICE,
  BEARER_CHALLENGE,
  ORIGIN,
  REPO,
  challengeAnonymous,
  blob,
  recordRequests,
  tokenServer,
  wireClient,
} from './client-helpers.js';
import { offlineAgent } from './wire-helpers.js';

const SOURCE_ORIGIN = 'https://source.test';
const SOURCE: RepositoryName = { registry: 'source.test', repository: 'acme/build' };
const SIBLING: RepositoryName = { registry: REPO.registry, repository: 'acme/base' };
const STORAGE_ORIGIN = 'https://storage.test';
const UPLOADS_ORIGIN = 'https://uploads.test';
const LAYER = blob('layer bytes '.repeat(1000));
const BLOB_PATH = `/v2/acme/app/blobs/${LAYER.digest}`;
const UPLOADS_PATH = '/v2/acme/app/blobs/uploads/';
const MOUNT_PATH = `${UPLOADS_PATH}?${new URLSearchParams({ mount: LAYER.digest, from: SIBLING.repository })}`;

let agent: MockAgent;

beforeEach(() => {
  agent = offlineAgent();
  challengeAnonymous(agent);
  tokenServer(agent);
});

afterEach(async () => {
  await agent.close();
});

/** A copy between two repositories, both read and written through `client`. */
const copyFrom = (
  client: RegistryApi,
  from: RepositoryName,
  to: RepositoryName,
  descriptor: Descriptor,
): Promise<BlobTransfer> => client.copyBlob(client.source(from), to, descriptor);

const isUploadsPost = (path: string) => path.startsWith(UPLOADS_PATH) && !path.includes('/uploads/u');

/** The target has no such blob (HEAD 404). */
function targetLacksBlob() {
  return recordRequests(agent, ORIGIN, { method: 'HEAD', path: BLOB_PATH }, () => ({ status: 404 }));
}

/** source.test serves LAYER (or `bytes` in its place), anonymously. */
function sourceServes(bytes: Buffer = LAYER.bytes) {
  return recordRequests(
    agent,
    SOURCE_ORIGIN,
    { method: 'GET', path: `/v2/acme/build/blobs/${LAYER.digest}` },
    () => ({
      status: 200,
      body: bytes,
    }),
  );
}

/** Upload sessions at registry.test: each POST opens one at `location(index)`. */
function uploadSessions(
  location: (index: number) => string = (index) => `${UPLOADS_PATH}u${index}?_state=a%2Bb%3D%3D`,
) {
  return recordRequests(agent, ORIGIN, { method: 'POST', path: isUploadsPost }, (index) => ({
    status: 202,
    headers: { location: location(index) },
  }));
}

function uploadsAt(
  origin: string,
  reply: (index: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 201 }),
) {
  return recordRequests(agent, origin, { method: 'PUT', path: (path) => path.includes('digest=') }, reply);
}

describe('copyBlob when the target may hold the blob already', () => {
  /** Copies LAYER from a repository of the same registry, whose mount opens a session instead of mounting. */
  function copyFromSibling() {
    recordRequests(agent, ORIGIN, { method: 'POST', path: MOUNT_PATH }, () => ({
      status: 202,
      headers: { location: `${UPLOADS_PATH}mount-session` },
    }));
    const cancels = recordRequests(
      agent,
      ORIGIN,
      { method: 'DELETE', path: `${UPLOADS_PATH}mount-session` },
      () => ({ status: 204 }),
    );
    const { client } = wireClient(agent, ALICE);
    return { cancels, transfer: client.copyBlob(client.source(SIBLING), REPO, LAYER.descriptor) };
  }

  it('mounts without asking first: a mount lands whether or not the target has the blob', async () => {
    const heads = targetLacksBlob();
    recordRequests(agent, ORIGIN, { method: 'POST', path: MOUNT_PATH }, () => ({ status: 201 }));
    const { client } = wireClient(agent, ALICE);

    await expect(client.copyBlob(client.source(SIBLING), REPO, LAYER.descriptor)).resolves.toBe('mounted');

    expect(heads).toEqual([]);
  });

  it('takes a HEAD answered 200 after a mount that did not land for present, and cancels its session', async () => {
    recordRequests(agent, ORIGIN, { method: 'HEAD', path: BLOB_PATH }, () => ({ status: 200 }));
    const { cancels, transfer } = copyFromSibling();

    await expect(transfer).resolves.toBe('present');
    expect(cancels).toHaveLength(1);
  });

  it.each([200, 206])(
    'asks again with a one-byte GET when the HEAD is answered 403: GET %i gives present',
    async (status) => {
      recordRequests(agent, ORIGIN, { method: 'HEAD', path: BLOB_PATH }, () => ({ status: 403 }));
      // Only a one-byte GET is answered (the agent refuses anything unmatched).
      agent
        .get(ORIGIN)
        .intercept({ method: 'GET', path: BLOB_PATH, headers: { range: 'bytes=0-0' } })
        .reply(status, 'l');
      const { cancels, transfer } = copyFromSibling();

      await expect(transfer).resolves.toBe('present');
      expect(cancels).toHaveLength(1);
    },
  );
});

describe('a blob streamed from a registry', () => {
  it('is heard chunk by chunk, as it is read, so the buffers it came in are reclaimed (the proof reads so too)', async () => {
    sourceServes();
    const heard: number[] = [];
    const { client } = wireClient(agent, ALICE, undefined, (bytes) => heard.push(bytes));

    const chunks: Buffer[] = [];
    for await (const chunk of (await client
      .source(SOURCE)
      .openBlob(LAYER.descriptor)) as AsyncIterable<Buffer>)
      chunks.push(chunk);

    expect(Buffer.concat(chunks)).toEqual(LAYER.bytes);
    expect(heard.reduce((sum, bytes) => sum + bytes, 0)).toBe(LAYER.bytes.byteLength);
  });
});

describe('readBlob', () => {
  it('follows a redirect to storage without the registry’s Authorization', async () => {
    const atRegistry = recordRequests(agent, ORIGIN, { method: 'GET', path: BLOB_PATH }, () => ({
      status: 307,
      headers: { location: `${STORAGE_ORIGIN}/objects/layer?X-Amz-Signature=abc` },
    }));
    const atStorage = recordRequests(
      agent,
      STORAGE_ORIGIN,
      { method: 'GET', path: (path) => path.startsWith('/objects/') },
      () => ({
        status: 200,
        body: LAYER.bytes,
      }),
    );

    const bytes = await wireClient(agent, ALICE)
      .client.source(REPO)
      .readBlob(LAYER.descriptor, 1024 * 1024);

    expect(Buffer.from(bytes).equals(LAYER.bytes)).toBe(true);
    expect(atRegistry.map((request) => request.authorization)).toEqual(['Bearer tok-1']);
    expect(atStorage.map((request) => request.authorization)).toEqual([undefined]);
  });

  it.each([
    ['other bytes of the same size', Buffer.from(LAYER.bytes).fill(0x41, 0, 5), 'content has digest sha256:'],
    [
      'fewer bytes',
      LAYER.bytes.subarray(1),
      `received ${LAYER.descriptor.size - 1} bytes, expected ${LAYER.descriptor.size}`,
    ],
  ])('refuses %s than the descriptor gives', async (_case, body, problem) => {
    recordRequests(agent, ORIGIN, { method: 'GET', path: BLOB_PATH }, () => ({ status: 200, body }));

    const reading = wireClient(agent, ALICE)
      .client.source(REPO)
      .readBlob(LAYER.descriptor, 1024 * 1024);

    await expect(reading).rejects.toThrow(InvalidDigestError);
    await expect(reading).rejects.toThrow(
      `failed to read blob registry.test/acme/app@${LAYER.digest}: ${problem}`,
    );
  });
});

describe('copyBlob from another registry', () => {
  it('streams the source into the upload at a relative Location, keeping its query and adding the digest', async () => {
    targetLacksBlob();
    sourceServes();
    const posts = uploadSessions();
    const puts = uploadsAt(ORIGIN);
    const { client, logger } = wireClient(agent, ALICE);

    await expect(client.copyBlob(client.source(SOURCE), REPO, LAYER.descriptor)).resolves.toBe('copied');

    expect(posts.map((post) => post.authorization)).toEqual(['Bearer tok-2']);
    expect(puts).toEqual([
      {
        method: 'PUT',
        path: `${UPLOADS_PATH}u0?_state=a%2Bb%3D%3D&digest=${encodeURIComponent(LAYER.digest)}`,
        authorization: 'Bearer tok-2',
        accept: undefined,
        contentType: 'application/octet-stream',
        contentLength: String(LAYER.descriptor.size),
        body: LAYER.bytes.toString(),
      },
    ]);
    expect(logger.infos).toContain(
      `copied ${LAYER.digest} (12.0 kB) from source.test/acme/build to registry.test/acme/app`,
    );
  });

  it('sends no Authorization to an upload Location on another origin', async () => {
    targetLacksBlob();
    sourceServes();
    uploadSessions(() => `${UPLOADS_ORIGIN}/session/7?sig=xyz`);
    const puts = uploadsAt(UPLOADS_ORIGIN);

    await expect(copyFrom(wireClient(agent, ALICE).client, SOURCE, REPO, LAYER.descriptor)).resolves.toBe(
      'copied',
    );

    expect(puts).toEqual([
      expect.objectContaining({
        path: `/session/7?sig=xyz&digest=${encodeURIComponent(LAYER.digest)}`,
        authorization: undefined,
        body: LAYER.bytes.toString(),
      }),
    ]);
  });

  it('does not blame our credentials for a 401 from an upload host that never got them', async () => {
    targetLacksBlob();
    sourceServes();
    uploadSessions(() => `${UPLOADS_ORIGIN}/session/8`);
    uploadsAt(UPLOADS_ORIGIN, () => ({ status: 401 }));

    const copying = copyFrom(wireClient(agent, ALICE).client, SOURCE, REPO, LAYER.descriptor);

    await expect(copying).rejects.toThrow(
      `failed to upload blob registry.test/acme/app@${LAYER.digest}: 401 Unauthorized`,
    );
    await expect(copying).rejects.not.toThrow('refused');
  });

  it('refuses source bytes that do not match the digest, without retrying', async () => {
    targetLacksBlob();
    const gets = sourceServes(Buffer.from(LAYER.bytes).fill(0x41, 0, 5));
    const posts = uploadSessions();
    uploadsAt(ORIGIN);

    const copying = copyFrom(wireClient(agent, ALICE).client, SOURCE, REPO, LAYER.descriptor);

    await expect(copying).rejects.toThrow(InvalidDigestError);
    await expect(copying).rejects.toThrow(
      `failed to copy blob ${LAYER.digest} from source.test/acme/build to registry.test/acme/app: content has digest`,
    );
    expect(gets).toHaveLength(1);
    expect(posts).toHaveLength(1);
  });

  it('retries the whole copy, with a new GET and a new session, when the PUT fails with a 503', async () => {
    targetLacksBlob();
    const gets = sourceServes();
    const posts = uploadSessions();
    const puts = uploadsAt(ORIGIN, (index) => ({ status: index === 0 ? 503 : 201 }));
    const { client, sleeps } = wireClient(agent, ALICE);

    await expect(client.copyBlob(client.source(SOURCE), REPO, LAYER.descriptor)).resolves.toBe('copied');

    expect(gets).toHaveLength(2);
    expect(posts).toHaveLength(2);
    expect(puts.map((put) => put.path.split('?')[0])).toEqual([`${UPLOADS_PATH}u0`, `${UPLOADS_PATH}u1`]);
    expect(puts.map((put) => put.body)).toEqual([LAYER.bytes.toString(), LAYER.bytes.toString()]);
    expect(sleeps).toHaveLength(1);
  });

  it('stops waiting to try a copy again when the run stops, and fails at once', async () => {
    targetLacksBlob();
    const gets = sourceServes();
    uploadSessions();
    recordRequests(
      agent,
      ORIGIN,
      { method: 'DELETE', path: (path) => path.startsWith(UPLOADS_PATH) },
      () => ({
        status: 204,
      }),
    );
    const bounds = new RunBounds({ ms: 600_000, text: '10m' });
    // The PUT fails in a way worth retrying; the run is cancelled while the copy waits its backoff.
    uploadsAt(ORIGIN, () => {
      setTimeout(() => bounds.cancel('SIGINT'), 20);
      return { status: 503 };
    });
    const client = createRegistryClient({
      credentials: staticStore([{ registry: REPO.registry, credential: ALICE }]),
      insecureRegistries: [],
      logger: recordingLogger(),
      onSecret: () => undefined,
      dispatcher: agent,
      // A backoff that would never end by itself.
      retry: { sleep: () => new Promise<void>(() => undefined) },
      signal: bounds,
    });

    await expect(copyFrom(client, SOURCE, REPO, LAYER.descriptor)).rejects.toThrow(
      'the run was cancelled (SIGINT)',
    );
    bounds.stop();
    expect(gets).toHaveLength(1);
    // A copy that waited out its backoff would never settle: the short timeout makes that a failure, not a hang.
  }, 5_000);

  it('never sends a streamed PUT twice, not even after a 401', async () => {
    targetLacksBlob();
    sourceServes();
    uploadSessions();
    const puts = uploadsAt(ORIGIN, () => ({
      status: 401,
      headers: { 'www-authenticate': BEARER_CHALLENGE },
    }));

    const copying = copyFrom(wireClient(agent, ALICE).client, SOURCE, REPO, LAYER.descriptor);
    await expect(copying).rejects.toThrow(
      `failed to upload blob registry.test/acme/app@${LAYER.digest}: 401 Unauthorized`,
    );
    await expect(copying).rejects.toMatchObject({
      credentialSource: { registry: 'registry.test', source: 'inputs' },
    });
    expect(puts).toHaveLength(1);
  });

  it('cancels a session whose POST was under way when the run stopped: once sent, it runs to its answer', async () => {
    targetLacksBlob();
    sourceServes();
    const bounds = new RunBounds({ ms: 600_000, text: '10m' });
    // The run ends (another copy failed) while the registry is opening this copy's session.
    const posts = recordRequests(agent, ORIGIN, { method: 'POST', path: isUploadsPost }, () => {
      bounds.end();
      return { status: 202, headers: { location: `${UPLOADS_PATH}u0` } };
    });
    const puts = uploadsAt(ORIGIN);
    const deletes = recordRequests(agent, ORIGIN, { method: 'DELETE', path: `${UPLOADS_PATH}u0` }, () => ({
      status: 204,
    }));

    const copying = copyFrom(wireClient(agent, ALICE, bounds).client, SOURCE, REPO, LAYER.descriptor);
    await expect(copying).rejects.toThrow('the run ended');
    bounds.stop();

    expect(posts).toHaveLength(1);
    expect(puts).toEqual([]);
    expect(deletes).toHaveLength(1);
  });

  it('shares one transfer between concurrent calls', async () => {
    const heads = targetLacksBlob();
    sourceServes();
    const posts = uploadSessions();
    uploadsAt(ORIGIN);
    const { client } = wireClient(agent, ALICE);

    const transfers = await Promise.all(
      [1, 2, 3].map(() => client.copyBlob(client.source(SOURCE), REPO, LAYER.descriptor)),
    );

    expect(transfers).toEqual(['copied', 'copied', 'copied']);
    expect(heads).toHaveLength(1);
    expect(posts).toHaveLength(1);
  });
});

describe('copyBlob within a registry', () => {
  /** registry.test/acme/base serves LAYER. */
  function siblingServes() {
    return recordRequests(
      agent,
      ORIGIN,
      { method: 'GET', path: `/v2/acme/base/blobs/${LAYER.digest}` },
      () => ({
        status: 200,
        body: LAYER.bytes,
      }),
    );
  }

  it('mounts from the source repository with one token allowing pull on it', async () => {
    const mounts = recordRequests(agent, ORIGIN, { method: 'POST', path: MOUNT_PATH }, () => ({
      status: 201,
    }));
    const gets = siblingServes();
    const { client, logger } = wireClient(agent, ALICE);

    await expect(client.copyBlob(client.source(SIBLING), REPO, LAYER.descriptor)).resolves.toBe('mounted');

    // The mount is the run's first request: its token is the first one, and no other is asked for.
    expect(mounts.map((mount) => mount.authorization)).toEqual(['Bearer tok-1']);
    expect(gets).toEqual([]);
    expect(logger.infos).toEqual([
      `mounted ${LAYER.digest} from registry.test/acme/base into registry.test/acme/app`,
    ]);
  });

  it('uploads into the session a 202 opened instead of a mount, without opening another', async () => {
    targetLacksBlob();
    recordRequests(agent, ORIGIN, { method: 'POST', path: MOUNT_PATH }, () => ({
      status: 202,
      headers: { location: `${UPLOADS_PATH}mounted-session` },
    }));
    const posts = uploadSessions();
    siblingServes();
    const puts = uploadsAt(ORIGIN);

    await expect(copyFrom(wireClient(agent, ALICE).client, SIBLING, REPO, LAYER.descriptor)).resolves.toBe(
      'copied',
    );

    expect(posts).toEqual([]);
    expect(puts.map((put) => put.path)).toEqual([
      `${UPLOADS_PATH}mounted-session?digest=${encodeURIComponent(LAYER.digest)}`,
    ]);
  });

  it('cancels the session a 202 opened when the source cannot be read', async () => {
    targetLacksBlob();
    recordRequests(agent, ORIGIN, { method: 'POST', path: MOUNT_PATH }, () => ({
      status: 202,
      headers: { location: `${UPLOADS_PATH}mounted-session` },
    }));
    recordRequests(agent, ORIGIN, { method: 'GET', path: `/v2/acme/base/blobs/${LAYER.digest}` }, () => ({
      status: 404,
    }));
    const deletes = recordRequests(
      agent,
      ORIGIN,
      { method: 'DELETE', path: `${UPLOADS_PATH}mounted-session` },
      () => ({
        status: 204,
      }),
    );

    await expect(copyFrom(wireClient(agent, ALICE).client, SIBLING, REPO, LAYER.descriptor)).rejects.toThrow(
      `failed to read blob registry.test/acme/base@${LAYER.digest}: 404 Not Found`,
    );
    expect(deletes).toHaveLength(1);
  });

  it('falls back to an upload when an anonymous registry challenges the mount with Basic', async () => {
    targetLacksBlob();
    recordRequests(agent, ORIGIN, { method: 'POST', path: MOUNT_PATH }, () => ({
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="registry"' },
    }));
    const posts = uploadSessions();
    siblingServes();
    const puts = uploadsAt(ORIGIN);

    await expect(copyFrom(wireClient(agent).client, SIBLING, REPO, LAYER.descriptor)).resolves.toBe('copied');

    expect(posts).toHaveLength(1);
    expect(puts).toHaveLength(1);
  });

  it.each([400, 403, 404])('falls back to an upload when the mount is answered %i', async (status) => {
    targetLacksBlob();
    recordRequests(agent, ORIGIN, { method: 'POST', path: MOUNT_PATH }, () => ({ status }));
    const posts = uploadSessions();
    siblingServes();
    const puts = uploadsAt(ORIGIN);

    await expect(copyFrom(wireClient(agent, ALICE).client, SIBLING, REPO, LAYER.descriptor)).resolves.toBe(
      'copied',
    );

    expect(posts).toHaveLength(1);
    expect(puts.map((put) => put.body)).toEqual([LAYER.bytes.toString()]);
  });
});
