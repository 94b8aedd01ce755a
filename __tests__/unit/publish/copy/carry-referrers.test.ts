// The referrers API path of publishing, at the wire: a registry that serves GET /v2/<name>/referrers/<digest> (OCI
// 1.1) is asked for what refers to each child, never for the referrers tag; a target that answers OCI-Subject
// keeps its own index of referrers, one that does not gets the referrers tag written by us.
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import type { MockAgent } from 'undici';
import { parseSource } from '../../../../src/action/inputs/sources.js';
import { parseReference } from '../../../../src/oci/reference.js';
import { recordingLogger } from '../../../support/loggers.js';
import { publish } from '../../../../src/publish/publish.js';
import { MEDIA_TYPES } from '../../../../testkit/media-types.js';
import { MockOciRegistry } from '../../../support/mock-oci-registry.js';
import { publishRequest } from '../../../support/publish-request.js';
import { ORIGIN, REGISTRY, wireClient } from '../../registry/client-helpers.js';
import { offlineAgent } from '../../registry/wire-helpers.js';

const SBOM_TYPE = 'application/spdx+json';
const SIGNATURE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const EMPTY = 'application/vnd.oci.empty.v1+json';

let agent: MockAgent;

beforeEach(() => {
  agent = offlineAgent();
});

afterEach(async () => {
  await agent.close();
});

/** An amd64 image in acme/app:1.0-amd64, an SBOM attached to it and a signature attached to the SBOM. */
function seed(registry: MockOciRegistry) {
  const repo = 'acme/app';
  const config = registry.blob(repo, MEDIA_TYPES.ociConfig, '{"architecture":"amd64","os":"linux"}');
  const layer = registry.blob(repo, MEDIA_TYPES.ociLayerGzip, 'layer');
  const image = registry.manifest(
    repo,
    { schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config, layers: [layer] } as {
      mediaType: string;
    },
    '1.0-amd64',
  );
  const artifact = (artifactType: string, content: string, subject: object) =>
    registry.manifest(repo, {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      artifactType,
      config: registry.blob(repo, EMPTY, '{}'),
      layers: [registry.blob(repo, artifactType, content)],
      subject,
    } as { mediaType: string });
  const sbom = artifact(SBOM_TYPE, '{"spdxVersion":"SPDX-2.3"}', image);
  const signature = artifact(SIGNATURE_TYPE, '{"signature":"x"}', sbom);
  return { image, sbom, signature };
}

async function run() {
  const logger = recordingLogger();
  const { client } = wireClient(agent);
  try {
    const result = await publish(
      publishRequest({
        sources: [parseSource(`${REGISTRY}/acme/app:1.0-amd64`)],
        targets: [parseReference(`${REGISTRY}/acme/release:1.0`)],
        // The mock registry's layers are placeholder bytes, not tars: these tests are about referrers.
        prove: 'config',
      }),
      client,
      logger,
    );
    return { result, logger };
  } finally {
    await client.close();
  }
}

it('finds referrers through the API, recursively, and leaves the index of referrers to a target that keeps one', async () => {
  const registry = new MockOciRegistry(agent, ORIGIN, { referrersApi: true, indexesSubjects: true });
  const { image, sbom, signature } = seed(registry);

  const { result, logger } = await run();

  const release = registry.repo('acme/release');
  expect(release.manifests.has(sbom.digest)).toBe(true);
  expect(release.manifests.has(signature.digest)).toBe(true);
  expect(result.referrers).toHaveLength(2);
  // The registry answered OCI-Subject: no referrers tag is written, and the fallback tag is never read.
  expect([...release.tags.keys()]).toEqual(['1.0']);
  expect(registry.requests.filter((r) => r.includes('sha256-'))).toEqual([]);
  expect(registry.requests).toEqual(
    expect.arrayContaining([
      `GET /v2/acme/app/referrers/${image.digest}`,
      `GET /v2/acme/app/referrers/${sbom.digest}`,
      `GET /v2/acme/app/referrers/${signature.digest}`,
    ]),
  );
  expect(logger.infos).toContain(
    `${REGISTRY}/acme/release: added referrer ${sbom.digest} of ${image.digest} from ${REGISTRY}/acme/app`,
  );
});

it('writes the referrers tag in a target that does not answer OCI-Subject, listing each referrer under its subject', async () => {
  const registry = new MockOciRegistry(agent, ORIGIN, { referrersApi: true, indexesSubjects: false });
  const { image, sbom, signature } = seed(registry);

  const { result } = await run();

  expect(result.referrers).toHaveLength(2);
  const release = registry.repo('acme/release');
  const listed = (subject: string) => {
    const digest = release.tags.get(subject.replace(':', '-'));
    const stored = digest === undefined ? undefined : release.manifests.get(digest);
    return stored && (JSON.parse(stored.bytes.toString('utf8')) as { manifests: object[] }).manifests;
  };
  expect(listed(image.digest)).toEqual([{ ...sbom, artifactType: SBOM_TYPE }]);
  expect(listed(sbom.digest)).toEqual([{ ...signature, artifactType: SIGNATURE_TYPE }]);
});

it('asks a registry without the API once, then relies on its tags', async () => {
  const registry = new MockOciRegistry(agent, ORIGIN, { referrersApi: false, indexesSubjects: false });
  seed(registry);

  const { result } = await run();

  // Nothing refers to the image by tag here, and 404 means the registry has no API: nothing is carried.
  expect(result.referrers).toHaveLength(0);
  expect(registry.requests.filter((r) => r.includes('/referrers/'))).toHaveLength(1);
  expect(registry.requests.filter((r) => r.includes('/tags/list'))).toHaveLength(1);
});

it('asks each cosign tag with a HEAD when the registry refuses to list tags, and carries the signature under its tag', async () => {
  const registry = new MockOciRegistry(agent, ORIGIN, {
    referrersApi: false,
    indexesSubjects: false,
    refusesTagList: true,
  });
  const { image } = seed(registry);
  const sigTag = `${image.digest.replace(':', '-')}.sig`;
  const signature = registry.manifest(
    'acme/app',
    {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: registry.blob('acme/app', MEDIA_TYPES.ociConfig, '{"cosign":true}'),
      layers: [
        registry.blob('acme/app', 'application/vnd.dev.cosign.simplesigning.v1+json', '{"critical":{}}'),
      ],
    } as { mediaType: string },
    sigTag,
  );

  const { result } = await run();

  expect(result.referrers).toHaveLength(1);
  expect(registry.repo('acme/release').tags.get(sigTag)).toBe(signature.digest);
  expect(registry.requests).toEqual(
    expect.arrayContaining(
      ['', '.sig', '.att', '.sbom'].map(
        (suffix) => `HEAD /v2/acme/app/manifests/${image.digest.replace(':', '-')}${suffix}`,
      ),
    ),
  );
});

it('leaves a referrer that is no image manifest or index (an OCI artifact manifest), saying so', async () => {
  const registry = new MockOciRegistry(agent, ORIGIN, { referrersApi: true, indexesSubjects: true });
  const { image, sbom, signature } = seed(registry);
  const artifact = registry.manifest('acme/app', {
    mediaType: 'application/vnd.oci.artifact.manifest.v1+json',
    artifactType: 'application/vnd.example',
    blobs: [],
    subject: image,
  } as { mediaType: string });

  const { result, logger } = await run();

  expect(result.referrers).toHaveLength(2);
  const release = registry.repo('acme/release');
  expect([sbom, signature, artifact].map((m) => release.manifests.has(m.digest))).toEqual([
    true,
    true,
    false,
  ]);
  expect(logger.warnings).toContain(
    `referrer ${artifact.digest} in ${REGISTRY}/acme/app is a "application/vnd.oci.artifact.manifest.v1+json", ` +
      'not an image manifest or index; it is not carried',
  );
});
