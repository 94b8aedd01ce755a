import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { MockAgent } from 'undici';
import { sha256Digest } from '../../../src/oci/digest.js';
import { ORIGIN, REPO, recordRequests, wireClient } from './client-helpers.js';
import { offlineAgent } from './wire-helpers.js';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const SUBJECT = sha256Digest(Buffer.from('the image'));
const SBOM_TYPE = 'application/spdx+json';
const SIGNATURE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const SBOM = {
  mediaType: OCI_MANIFEST,
  digest: sha256Digest(Buffer.from('sbom')),
  size: 10,
  artifactType: SBOM_TYPE,
};
const SIGNATURE = {
  mediaType: OCI_MANIFEST,
  digest: sha256Digest(Buffer.from('signature')),
  size: 20,
  artifactType: SIGNATURE_TYPE,
  annotations: { 'org.opencontainers.image.created': '2026-11-01T00:00:00Z' },
};
const REFERRERS_PATH = `/v2/acme/app/referrers/${SUBJECT}`;

let agent: MockAgent;

beforeEach(() => {
  agent = offlineAgent();
});

afterEach(async () => {
  await agent.close();
});

const index = (manifests: object[]): string =>
  JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });

describe('referrers', () => {
  it('reads every page of the referrers API, asking for an OCI index', async () => {
    const next = `${REFERRERS_PATH}?n=1&last=x`;
    const received = recordRequests(
      agent,
      ORIGIN,
      { method: 'GET', path: (path) => path.startsWith(REFERRERS_PATH) },
      (i): { status: number; body: string; headers: Record<string, string> } =>
        i === 0
          ? {
              status: 200,
              body: index([SBOM]),
              headers: { 'content-type': OCI_INDEX, link: `<${next}>; rel="next"` },
            }
          : { status: 200, body: index([SIGNATURE]), headers: { 'content-type': OCI_INDEX } },
    );

    const referrers = await wireClient(agent).client.referrers(REPO, SUBJECT);

    expect(referrers).toEqual([SBOM, SIGNATURE]);
    expect(received.map((r) => [r.path, r.accept])).toEqual([
      [REFERRERS_PATH, OCI_INDEX],
      [next, OCI_INDEX],
    ]);
  });

  it.each([
    ['404, as the spec says', { status: 404, body: '{"errors":[{"code":"NOT_FOUND"}]}' }],
    ['400 (a path the registry does not route)', { status: 400 }],
    ['405', { status: 405 }],
    [
      '200 with something else than an index (GHCR redirects to an HTML page)',
      {
        status: 200,
        body: '<html></html>',
        headers: { 'content-type': 'text/html; charset=utf-8' },
      },
    ],
  ])('is undefined, meaning no referrers API, on %s', async (_case, reply) => {
    recordRequests(agent, ORIGIN, { method: 'GET', path: REFERRERS_PATH }, () => reply);

    expect(await wireClient(agent).client.referrers(REPO, SUBJECT)).toBeUndefined();
  });

  it('fails with the registry error on any other status', async () => {
    recordRequests(agent, ORIGIN, { method: 'GET', path: REFERRERS_PATH }, () => ({ status: 500 }));

    await expect(wireClient(agent).client.referrers(REPO, SUBJECT)).rejects.toThrow(
      `failed to list referrers of registry.test/acme/app@${SUBJECT}: 500 Internal Server Error`,
    );
  });

  it('trusts an artifactType filter the registry says it applied (OCI-Filters-Applied)', async () => {
    const received = recordRequests(
      agent,
      ORIGIN,
      { method: 'GET', path: (path) => path.startsWith(REFERRERS_PATH) },
      () => ({
        status: 200,
        body: index([SBOM]),
        headers: { 'content-type': OCI_INDEX, 'oci-filters-applied': 'artifactType' },
      }),
    );

    expect(await wireClient(agent).client.referrers(REPO, SUBJECT, SBOM_TYPE)).toEqual([SBOM]);
    expect(received.map((r) => r.path)).toEqual([
      `${REFERRERS_PATH}?artifactType=${encodeURIComponent(SBOM_TYPE)}`,
    ]);
  });

  it('filters by artifactType itself when the registry did not (no OCI-Filters-Applied)', async () => {
    recordRequests(agent, ORIGIN, { method: 'GET', path: (path) => path.startsWith(REFERRERS_PATH) }, () => ({
      status: 200,
      body: index([SBOM, SIGNATURE]),
      headers: { 'content-type': OCI_INDEX },
    }));

    expect(await wireClient(agent).client.referrers(REPO, SUBJECT, SIGNATURE_TYPE)).toEqual([SIGNATURE]);
  });
});

describe('listTags', () => {
  const TAGS_PATH = '/v2/acme/app/tags/list';

  it('reads every page', async () => {
    recordRequests(agent, ORIGIN, { method: 'GET', path: (path) => path.startsWith(TAGS_PATH) }, (i) =>
      i === 0
        ? {
            status: 200,
            body: JSON.stringify({ name: 'acme/app', tags: ['1.0', 'latest'] }),
            headers: { link: `<${TAGS_PATH}?n=2&last=latest>; rel="next"` },
          }
        : {
            status: 200,
            body: JSON.stringify({ name: 'acme/app', tags: [`${SUBJECT.replace(':', '-')}.sig`] }),
          },
    );

    expect(await wireClient(agent).client.listTags(REPO)).toEqual([
      '1.0',
      'latest',
      `${SUBJECT.replace(':', '-')}.sig`,
    ]);
  });

  it('is empty when every tag was deleted (tags: null)', async () => {
    recordRequests(agent, ORIGIN, { method: 'GET', path: TAGS_PATH }, () => ({
      status: 200,
      body: '{"name":"acme/app","tags":null}',
    }));

    expect(await wireClient(agent).client.listTags(REPO)).toEqual([]);
  });

  it.each([
    ['the repository does not exist (404)', 404],
    ['the role may pull but not list (ECR without ecr:ListImages: 403)', 403],
  ])('is undefined, meaning ask each tag, when %s', async (_case, status) => {
    recordRequests(agent, ORIGIN, { method: 'GET', path: TAGS_PATH }, () => ({ status }));

    expect(await wireClient(agent).client.listTags(REPO)).toBeUndefined();
  });

  it('fails on an answer that is no tag list', async () => {
    recordRequests(agent, ORIGIN, { method: 'GET', path: TAGS_PATH }, () => ({
      status: 200,
      body: '{"tags":"1.0"}',
    }));

    await expect(wireClient(agent).client.listTags(REPO)).rejects.toThrow(
      'failed to list tags of registry.test/acme/app: "tags" is not a list of strings',
    );
  });
});

describe('putReferrer', () => {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: sha256Digest(Buffer.from('{}')),
        size: 2,
      },
      layers: [],
      subject: { mediaType: OCI_MANIFEST, digest: SUBJECT, size: 9 },
    }),
  );
  const manifest = { mediaType: OCI_MANIFEST, bytes, digest: sha256Digest(bytes) };

  it.each([
    ['indexed the subject when the registry answers OCI-Subject', { 'oci-subject': SUBJECT }, true],
    ['leaves the referrers tag to the client without OCI-Subject (distribution 2.8)', {}, false],
  ])('%s', async (_case, headers, subjectIndexed) => {
    recordRequests(
      agent,
      ORIGIN,
      { method: 'PUT', path: `/v2/acme/app/manifests/${manifest.digest}` },
      () => ({
        status: 201,
        headers: { 'docker-content-digest': manifest.digest, ...headers },
      }),
    );

    expect(await wireClient(agent).client.putReferrer(REPO, manifest.digest, manifest)).toEqual({
      digest: manifest.digest,
      subjectIndexed,
    });
  });
});
