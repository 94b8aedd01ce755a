import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ReportedError } from '../../../src/common/reported-error.js';
import type { MockAgent } from 'undici';
import { sha256Digest } from '../../../src/oci/digest.js';
import { InvalidDigestError } from '../../../src/oci/oci-error.js';
import type { RawManifest } from '../../../src/oci/manifest.js';
import { ContentTooLargeError } from '../../../src/registry/content/verify-content.js';
import { ORIGIN, REPO, recordRequests, wireClient } from './client-helpers.js';
import { offlineAgent } from './wire-helpers.js';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const BYTES = Buffer.from(`{"schemaVersion":2,"mediaType":"${OCI_INDEX}","manifests":[]}`);
const DIGEST = sha256Digest(BYTES);
const OTHER_DIGEST = sha256Digest(Buffer.from('something else'));
const ALL_TYPES =
  'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, ' +
  'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

let agent: MockAgent;

beforeEach(() => {
  agent = offlineAgent();
});

afterEach(async () => {
  await agent.close();
});

const complete = {
  'content-type': OCI_INDEX,
  'content-length': String(BYTES.byteLength),
  'docker-content-digest': DIGEST,
};

/** Answers GETs of the manifest path with the manifest and `headers`; returns what the registry received. */
function serveManifest(path: string, headers: Record<string, string> = complete, body: Buffer = BYTES) {
  return recordRequests(agent, ORIGIN, { method: 'GET', path }, () => ({ status: 200, body, headers }));
}

describe('headManifest', () => {
  it('takes a complete HEAD answer as is, sending all four manifest types in Accept', async () => {
    const heads = recordRequests(
      agent,
      ORIGIN,
      { method: 'HEAD', path: '/v2/acme/app/manifests/1.0' },
      () => ({
        status: 200,
        headers: { ...complete, 'content-type': `${OCI_INDEX}; charset=utf-8` },
      }),
    );
    const gets = serveManifest('/v2/acme/app/manifests/1.0');

    const info = await wireClient(agent).client.headManifest(REPO, '1.0');

    expect(info).toEqual({ mediaType: OCI_INDEX, digest: DIGEST, size: BYTES.byteLength });
    expect(heads.map((head) => head.accept)).toEqual([ALL_TYPES]);
    expect(gets).toHaveLength(0);
  });

  it.each([
    ['405 Method Not Allowed', '1.0', { status: 405 }],
    ['403 Forbidden (Artifactory)', '1.0', { status: 403 }],
    [
      'no Docker-Content-Digest',
      '1.0',
      { status: 200, headers: { 'content-type': OCI_INDEX, 'content-length': '64' } },
    ],
    [
      'no Content-Length',
      '1.0',
      { status: 200, headers: { 'content-type': OCI_INDEX, 'docker-content-digest': DIGEST } },
    ],
    ['no Content-Type', '1.0', { status: 200, headers: { ...complete, 'content-type': '' } }],
    [
      'another digest than asked for',
      DIGEST,
      { status: 200, headers: { ...complete, 'docker-content-digest': OTHER_DIGEST } },
    ],
  ])('falls back to a GET, digest computed from the bytes, on %s', async (_case, reference, headReply) => {
    recordRequests(
      agent,
      ORIGIN,
      { method: 'HEAD', path: `/v2/acme/app/manifests/${reference}` },
      () => headReply,
    );
    const gets = serveManifest(`/v2/acme/app/manifests/${reference}`, { 'content-type': OCI_INDEX });

    const info = await wireClient(agent).client.headManifest(REPO, reference);

    expect(info).toEqual({ mediaType: OCI_INDEX, digest: DIGEST, size: BYTES.byteLength });
    expect(gets).toHaveLength(1);
  });

  it.each([
    ['the HEAD', [404, 200]],
    ['the fallback GET', [405, 404]],
    ['the GET after a 403 HEAD', [403, 404]],
  ])('is undefined when %s finds nothing', async (_case, [headStatus, getStatus]) => {
    recordRequests(agent, ORIGIN, { method: 'HEAD', path: '/v2/acme/app/manifests/1.0' }, () => ({
      status: headStatus!,
    }));
    recordRequests(agent, ORIGIN, { method: 'GET', path: '/v2/acme/app/manifests/1.0' }, () => ({
      status: getStatus!,
      body: getStatus === 200 ? BYTES : '',
      headers: { 'content-type': OCI_INDEX },
    }));

    await expect(wireClient(agent).client.headManifest(REPO, '1.0')).resolves.toBeUndefined();
  });

  it('reports the error a GET explains when the HEAD was refused', async () => {
    recordRequests(agent, ORIGIN, { method: 'HEAD', path: '/v2/acme/app/manifests/1.0' }, () => ({
      status: 403,
    }));
    recordRequests(agent, ORIGIN, { method: 'GET', path: '/v2/acme/app/manifests/1.0' }, () => ({
      status: 403,
      body: '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}',
      headers: { 'content-type': 'application/json' },
    }));

    await expect(wireClient(agent).client.headManifest(REPO, '1.0')).rejects.toThrow(
      /403 Forbidden \(DENIED: requested access to the resource is denied\)/,
    );
  });
});

it("takes Artifactory's 403 for a manifest it does not have as absent", async () => {
  recordRequests(agent, ORIGIN, { method: 'HEAD', path: '/v2/acme/app/manifests/1.0' }, () => ({
    status: 403,
  }));
  recordRequests(agent, ORIGIN, { method: 'GET', path: '/v2/acme/app/manifests/1.0' }, () => ({
    status: 403,
    body: JSON.stringify({
      errors: [
        {
          code: 'UNAUTHORIZED',
          message:
            "The client does not have permission for manifest: Download request for repo:path 'docker-local:acme/app/1.0/list.manifest.json' is forbidden for user: 'token:x'.",
          detail: { manifest: 'acme/app' },
        },
      ],
    }),
    headers: { 'content-type': 'application/json' },
  }));

  await expect(wireClient(agent).client.headManifest(REPO, '1.0')).resolves.toBeUndefined();
});

describe('getManifest', () => {
  it('returns the exact bytes, the bare media type and the digest it computed', async () => {
    const gets = serveManifest('/v2/acme/app/manifests/1.0', {
      'content-type': `${OCI_INDEX}; charset=utf-8`,
    });

    const manifest = await wireClient(agent).client.source(REPO).manifest('1.0');

    expect({ ...manifest, bytes: [...manifest.bytes] }).toEqual({
      mediaType: OCI_INDEX,
      bytes: [...BYTES],
      digest: DIGEST,
    });
    expect(gets.map((get) => get.accept)).toEqual([ALL_TYPES]);
  });

  it.each([
    [
      'a Docker-Content-Digest that disagrees with the bytes',
      '1.0',
      { ...complete, 'docker-content-digest': OTHER_DIGEST },
      `the registry gives its digest as ${OTHER_DIGEST}, but the bytes hash to ${DIGEST}`,
    ],
    [
      'bytes that do not hash to the digest asked for',
      OTHER_DIGEST,
      { 'content-type': OCI_INDEX },
      `the bytes hash to ${DIGEST}, not to the digest asked for`,
    ],
  ])('refuses %s', async (_case, reference, headers, problem) => {
    serveManifest(`/v2/acme/app/manifests/${reference}`, headers);

    const reading = wireClient(agent).client.source(REPO).manifest(reference);

    await expect(reading).rejects.toThrow(InvalidDigestError);
    const ref = reference === '1.0' ? 'registry.test/acme/app:1.0' : `registry.test/acme/app@${reference}`;
    await expect(reading).rejects.toThrow(`failed to read manifest ${ref}: ${problem}`);
  });

  it.each([
    [
      'declared by Content-Length',
      { 'content-type': OCI_INDEX, 'content-length': String(9 * 1024 * 1024) },
      BYTES,
      '9437184 bytes exceed the limit of 8388608',
    ],
    [
      'found while reading',
      { 'content-type': OCI_INDEX },
      Buffer.alloc(8 * 1024 * 1024 + 1, 0x20),
      'more than 8388608 bytes',
    ],
  ])('refuses a manifest over 8 MiB, %s', async (_case, headers, body, problem) => {
    serveManifest('/v2/acme/app/manifests/big', headers, body);

    const reading = wireClient(agent).client.source(REPO).manifest('big');

    await expect(reading).rejects.toThrow(/^failed to read manifest registry.test\/acme\/app:big: /);
    await expect(reading).rejects.toThrow(problem);
  });

  it('reports a 404 with the registry’s code', async () => {
    recordRequests(agent, ORIGIN, { method: 'GET', path: '/v2/acme/app/manifests/missing' }, () => ({
      status: 404,
      body: JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }),
    }));

    await expect(wireClient(agent).client.source(REPO).manifest('missing')).rejects.toMatchObject({
      status: 404,
      message:
        'failed to read manifest registry.test/acme/app:missing: 404 Not Found (MANIFEST_UNKNOWN: manifest unknown)',
    });
  });
});

describe('putManifest', () => {
  const manifest: RawManifest = { mediaType: OCI_INDEX, bytes: BYTES, digest: DIGEST };

  it('PUTs the exact bytes with Content-Type = the media type and returns the digest', async () => {
    const puts = recordRequests(agent, ORIGIN, { method: 'PUT', path: '/v2/acme/app/manifests/1.0' }, () => ({
      status: 201,
      headers: { 'docker-content-digest': DIGEST },
    }));

    await expect(wireClient(agent).client.putManifest(REPO, '1.0', manifest)).resolves.toBe(DIGEST);

    expect(puts).toEqual([
      expect.objectContaining({
        contentType: OCI_INDEX,
        contentLength: String(BYTES.byteLength),
        body: BYTES.toString(),
      }),
    ]);
  });

  it('refuses a registry that says it stored other bytes', async () => {
    recordRequests(agent, ORIGIN, { method: 'PUT', path: '/v2/acme/app/manifests/1.0' }, () => ({
      status: 201,
      headers: { 'docker-content-digest': OTHER_DIGEST },
    }));

    await expect(wireClient(agent).client.putManifest(REPO, '1.0', manifest)).rejects.toThrow(
      `failed to push manifest registry.test/acme/app:1.0: the registry stored it as ${OTHER_DIGEST}, but its bytes hash to ${DIGEST}`,
    );
  });

  it('refuses a manifest over 4 MiB before sending anything', async () => {
    const sent = recordRequests(agent, ORIGIN, { method: /.*/, path: () => true }, () => ({ status: 201 }));
    const bytes = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20);
    const big: RawManifest = { mediaType: OCI_INDEX, bytes, digest: sha256Digest(bytes) };

    const pushing = wireClient(agent).client.putManifest(REPO, '1.0', big);

    await expect(pushing).rejects.toThrow(ContentTooLargeError);
    await expect(pushing).rejects.toThrow(
      'failed to push manifest registry.test/acme/app:1.0: it is 4194305 bytes, registries accept at most 4194304 (4 MiB)',
    );
    expect(sent).toEqual([]);
  });

  it('tries again when the registry does not see just-pushed children yet', async () => {
    const sent = recordRequests(
      agent,
      ORIGIN,
      { method: 'PUT', path: '/v2/acme/app/manifests/1.0' },
      (index) =>
        index === 0
          ? {
              status: 400,
              body: '{"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to registry"}]}',
            }
          : { status: 201, headers: { 'docker-content-digest': DIGEST } },
    );
    const { client, sleeps } = wireClient(agent);

    await expect(client.putManifest(REPO, '1.0', manifest)).resolves.toBe(DIGEST);
    expect(sent).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it('explains MANIFEST_BLOB_UNKNOWN with the digest the registry lacks, after three tries', async () => {
    const sent = recordRequests(agent, ORIGIN, { method: 'PUT', path: '/v2/acme/app/manifests/1.0' }, () => ({
      status: 400,
      body: JSON.stringify({
        errors: [
          { code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry', detail: OTHER_DIGEST },
        ],
      }),
    }));

    await expect(wireClient(agent).client.putManifest(REPO, '1.0', manifest)).rejects.toMatchObject({
      status: 400,
      message:
        'failed to push manifest registry.test/acme/app:1.0: 400 Bad Request (MANIFEST_BLOB_UNKNOWN: blob unknown ' +
        `to registry) — registry.test/acme/app lacks ${OTHER_DIGEST}: push children and blobs before the manifest`,
    });
    expect(sent).toHaveLength(3);
  });
});

describe('deleteTag', () => {
  it('DELETEs the tag itself, not a digest', async () => {
    const deletes = recordRequests(
      agent,
      ORIGIN,
      { method: 'DELETE', path: '/v2/acme/app/manifests/1.0' },
      () => ({ status: 202 }),
    );

    await expect(wireClient(agent).client.deleteTag(REPO, '1.0')).resolves.toBeUndefined();

    expect(deletes).toHaveLength(1);
  });

  it('passes on a registry that does not delete tags (distribution: 405 UNSUPPORTED)', async () => {
    recordRequests(agent, ORIGIN, { method: 'DELETE', path: '/v2/acme/app/manifests/1.0' }, () => ({
      status: 405,
      body: '{"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]}',
      headers: { 'content-type': 'application/json' },
    }));

    await expect(wireClient(agent).client.deleteTag(REPO, '1.0')).rejects.toThrow(
      /failed to delete tag registry\.test\/acme\/app:1\.0: .*405.*UNSUPPORTED.* — registry\.test cannot delete tags through its API/,
    );
  });

  it("names Harbor's 400 UNSUPPORTED (deletes by digest only) as a registry that cannot delete tags", async () => {
    recordRequests(agent, ORIGIN, { method: 'DELETE', path: '/v2/acme/app/manifests/1.0' }, () => ({
      status: 400,
      body: '{"errors":[{"code":"UNSUPPORTED","message":"unsupported digest 1.0"}]}',
      headers: { 'content-type': 'application/json' },
    }));

    await expect(wireClient(agent).client.deleteTag(REPO, '1.0')).rejects.toThrow(
      "registry.test cannot delete tags through its API; delete the tag with the registry's own tools or web interface",
    );
  });
});

describe('a refused tag write', () => {
  /** What pushing the index to `1.0` throws when the registry answers `status` with `errors`. */
  async function refusedPut(status: number, errors: unknown[]): Promise<ReportedError> {
    recordRequests(agent, ORIGIN, { method: 'PUT', path: '/v2/acme/app/manifests/1.0' }, () => ({
      status,
      body: JSON.stringify({ errors }),
      headers: { 'content-type': 'application/json' },
    }));
    return (await wireClient(agent)
      .client.putManifest(REPO, '1.0', { mediaType: OCI_INDEX, bytes: BYTES, digest: DIGEST })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      )) as ReportedError;
  }

  it.each([
    [
      'ECR',
      400,
      'TAG_INVALID',
      "The image tag '1.0' already exists in the 'acme/app' repository and cannot be overwritten because the repository is immutable.",
    ],
    [
      'Harbor',
      412,
      'PRECONDITION',
      "Failed to process request due to 'acme/app:1.0' configured as immutable.",
    ],
    ['Quay', 409, 'TAG_IMMUTABLE', 'tag is immutable and cannot be overwritten'],
    [
      'ACR',
      405,
      'REGISTRY_DISALLOWED_OPERATION',
      'The operation is disallowed on this registry, repository or image.',
    ],
    ['Nexus', 400, 'DENIED', 'Repository does not allow updating assets: acme/app'],
  ])(
    'names the %s repository as having immutable tags, with what to do there',
    async (registry, status, code, message) => {
      const error = await refusedPut(status, [{ code, message }]);
      expect(error.message).toContain(
        `${message}) — ${registry} repository registry.test/acme/app has immutable tags`,
      );
      expect(error.title).toBe('Tag is immutable');
      expect(error.hints()).toEqual([expect.stringMatching(new RegExp(`^${registry}: `))]);
    },
  );

  it("explains Quay's refusal of an OCI index that lists Docker manifests", async () => {
    const detail = {
      message:
        "'application/vnd.docker.distribution.manifest.v2+json' is not one of " +
        "['application/vnd.oci.image.manifest.v1+json', 'application/vnd.oci.image.index.v1+json']",
    };
    const error = await refusedPut(400, [{ code: 'MANIFEST_INVALID', message: 'manifest invalid', detail }]);
    expect(error.hints()).toContainEqual(
      expect.stringContaining('refuses an OCI index that lists Docker manifests'),
    );
  });

  it('leaves a TAG_INVALID that is not about immutability as the registry said it', async () => {
    const error = await refusedPut(400, [{ code: 'TAG_INVALID', message: 'manifest tag did not match URI' }]);
    expect(error.message).not.toContain('immutable');
    expect(error.title).toBe('Registry request failed (400 TAG_INVALID)');
  });
});
