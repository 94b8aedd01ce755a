// The request budget (docs/ARCHITECTURE.md, Testing), pinned against a real token-auth registry: about two
// requests per source (manifest, config), the tags, and auth. Counted at the wire, redirects included.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { parseReference } from '../../../src/oci/reference.js';
import { publish } from '../../../src/publish/publish.js';
import type { PublishRequest } from '../../../src/publish/request.js';
import type { PublishLogger } from '../../../src/publish/logger.js';
import { parseSource } from '../../../src/action/inputs/sources.js';
import { staticStore } from '../../../src/registry/credentials/chain.js';
import { createRegistryClient } from '../../../src/registry/create-client.js';
import { seedImage } from '../../support/images.js';
import { publishRequest } from '../../support/publish-request.js';
import { RawRegistry } from '../../support/raw-registry.js';
import { recordingDispatcher } from '../../support/recording-dispatcher.js';
import { startRegistry, type TestRegistry } from '../../support/registry-process.js';

let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'token' });
});

afterAll(async () => {
  await registry.stop();
});

const quiet: PublishLogger = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  group: (_title, work) => work(),
};

/** Publishes `request` with a client whose every request is recorded; returns the requests by destination. */
async function publishRecorded(request: PublishRequest) {
  const wire = recordingDispatcher();
  const client = createRegistryClient({
    credentials: staticStore([
      {
        registry: registry.host,
        credential: { username: registry.username!, password: registry.password!, source: 'test' },
      },
    ]),
    insecureRegistries: [registry.host],
    logger: quiet,
    onSecret: () => undefined,
    dispatcher: wire.dispatcher,
  });
  try {
    const result = await publish(request, client, quiet);
    expect(result.tags.map((tag) => tag.status)).toEqual(request.targets.map(() => 'moved'));
  } finally {
    await client.close();
    await wire.close();
  }
  return {
    toRegistry: wire.sentTo(registry.url).map((r) => `${r.method} ${r.path.replace(/sha256:\w+/, 'DIGEST')}`),
    toTokenServer: wire.sent.filter((r) => r.origin !== registry.url),
  };
}

it('publishes three per-arch tags under two tags within 2 per source + 2 per tag + ping, with one token', async () => {
  const raw = new RawRegistry(registry);
  const arches = ['amd64', 'arm64', 's390x'];
  for (const architecture of arches)
    await seedImage(raw, { repo: 'budget/app', tag: architecture, architecture });
  // The targets are the sources' repository: what refers to the children is there already, nothing is looked up.
  const { toRegistry, toTokenServer } = await publishRecorded(
    publishRequest({
      sources: arches.map((arch) => parseSource(`${registry.host}/budget/app:${arch}`)),
      targets: ['1.0', 'latest'].map((tag) => parseReference(`${registry.host}/budget/app:${tag}`)),
    }),
  );
  expect(toTokenServer).toHaveLength(1);
  expect(toRegistry.sort()).toEqual(
    [
      'GET /v2/',
      ...arches.map((arch) => `GET /v2/budget/app/manifests/${arch}`),
      ...arches.map(() => 'GET /v2/budget/app/blobs/DIGEST'),
      'HEAD /v2/budget/app/manifests/1.0',
      'HEAD /v2/budget/app/manifests/latest',
      'PUT /v2/budget/app/manifests/1.0',
      'PUT /v2/budget/app/manifests/latest',
    ].sort(),
  );
});

it('looks for referrers of three children in another repository with one tag list and one referrers API probe', async () => {
  const raw = new RawRegistry(registry);
  const arches = ['amd64', 'arm64', 's390x'];
  for (const architecture of arches)
    await seedImage(raw, { repo: 'budget/signed', tag: architecture, architecture, salt: 'signed' });
  const { toRegistry } = await publishRecorded(
    publishRequest({
      sources: arches.map((arch) => parseSource(`${registry.host}/budget/signed:${arch}`)),
      targets: [parseReference(`${registry.host}/budget/release:1.0`)],
    }),
  );
  // distribution 2.8 answers the first referrers request with 404: the registry has no API, and the other
  // children are not asked about; the tag list (once per source repository) shows no referrers tags.
  const lookups = toRegistry.filter((r) => /\/referrers\/|\/tags\/list|manifests\/sha256-/.test(r));
  expect(lookups.sort()).toEqual([
    'GET /v2/budget/signed/referrers/DIGEST',
    'GET /v2/budget/signed/tags/list',
  ]);
});
