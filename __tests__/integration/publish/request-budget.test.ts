// The request budget (docs/ARCHITECTURE.md, Testing), pinned against a real registry, anonymous and with token
// auth: about two requests per source (manifest, config), three per tag (the HEAD that finds what to put back, the
// PUT, and the HEAD that reads the tag back so the outputs say what it holds as read), and no `/v2/` ping. Counted
// at the wire, redirects included.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { parseReference } from '../../../src/oci/reference.js';
import { publish } from '../../../src/publish/publish.js';
import type { PublishRequest } from '../../../src/publish/request.js';
import { parseSource } from '../../../src/action/inputs/sources.js';
import { staticStore } from '../../../src/registry/credentials/chain.js';
import { createRegistryClient } from '../../../src/registry/create-client.js';
import { seedImage } from '../../../testkit/images.js';
import { publishRequest } from '../../support/publish-request.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { recordingDispatcher, type SentRequest } from '../../support/recording-dispatcher.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { quiet } from '../../support/loggers.js';

const registries: Partial<Record<'none' | 'token' | 'mirror', TestRegistry>> = {};

beforeAll(async () => {
  registries.none = await startRegistry({ auth: 'none' });
  registries.token = await startRegistry({ auth: 'token' });
  registries.mirror = await startRegistry({ auth: 'none' });
});

afterAll(async () => {
  await Promise.all(Object.values(registries).map((registry) => registry.stop()));
});

/**
 * Publishes `request` on `registry` (and `also`, anonymous) with a client whose every request is recorded; returns
 * what went out.
 */
async function publishRecorded(registry: TestRegistry, request: PublishRequest, also: TestRegistry[] = []) {
  const wire = recordingDispatcher();
  const client = createRegistryClient({
    credentials: staticStore(
      registry.username === undefined
        ? []
        : [
            {
              registry: registry.host,
              credential: { username: registry.username, password: registry.password!, source: 'test' },
            },
          ],
    ),
    insecureRegistries: [registry, ...also].map(({ host }) => host),
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
    toRegistry: wire.sentTo(registry.url),
    toTokenServer: wire.sent.filter(
      (r) => r.origin !== registry.url && also.every((a) => r.origin !== a.url),
    ),
    toOthers: also.map((other) => wire.sentTo(other.url)),
  };
}

const described = (sent: SentRequest) => `${sent.method} ${sent.path.replace(/sha256:\w+/, 'DIGEST')}`;

it.each([
  { auth: 'none', challenged: 0, extra: 'and nothing else' },
  { auth: 'token', challenged: 1, extra: 'and the first request again after its challenge, with one token' },
] as const)(
  'publishes three per-arch tags under two tags with $auth auth in 2 per source + 3 per tag, $extra',
  async ({ auth, challenged }) => {
    const registry = registries[auth]!;
    const raw = new RawRegistry(registry);
    const arches = ['amd64', 'arm64', 's390x'];
    for (const architecture of arches)
      await seedImage(raw, { repo: 'budget/app', tag: architecture, architecture });
    const { toRegistry, toTokenServer } = await publishRecorded(
      registry,
      publishRequest({
        sources: arches.map((arch) => parseSource(`${registry.host}/budget/app:${arch}`)),
        targets: ['1.0', 'latest'].map((tag) => parseReference(`${registry.host}/budget/app:${tag}`)),
        // The reference run proves from the configs; what the binary proof adds is pinned below.
        prove: 'config',
      }),
    );
    const sourceReads = arches.map((arch) => `GET /v2/budget/app/manifests/${arch}`);
    // One request per registry goes out without a token: the first; on a registry with auth it is challenged, and
    // sent again with the token (where a `/v2/` ping used to go first). Nothing else can go: the tag HEADs find
    // a tag already at the digest (not written again) and what a failed run puts back.
    const unauthorized = toRegistry.filter((sent) => !sent.authorized).map(described);
    expect(unauthorized).toHaveLength(auth === 'none' ? toRegistry.length : challenged);
    const sent = auth === 'none' ? toRegistry : toRegistry.filter((request) => request.authorized);
    expect(sent.map(described).sort()).toEqual(
      [
        ...sourceReads,
        ...arches.map(() => 'GET /v2/budget/app/blobs/DIGEST'),
        'HEAD /v2/budget/app/manifests/1.0',
        'HEAD /v2/budget/app/manifests/latest',
        // The read-back after the move.
        'HEAD /v2/budget/app/manifests/1.0',
        'HEAD /v2/budget/app/manifests/latest',
        'PUT /v2/budget/app/manifests/1.0',
        'PUT /v2/budget/app/manifests/latest',
      ].sort(),
    );
    // The challenged request is one of the budget's, sent again.
    expect(sent.map(described)).toEqual(expect.arrayContaining(unauthorized.slice(0, challenged)));
    expect(toRegistry).toHaveLength(12 + challenged);
    expect(toTokenServer).toHaveLength(challenged);
  },
);

it('proves binaries with one more request per source: the GET of its one layer, read once', async () => {
  const registry = registries.none!;
  const raw = new RawRegistry(registry);
  const arches = ['amd64', 'arm64', 's390x'];
  for (const architecture of arches)
    await seedImage(raw, { repo: 'budget/proven', tag: architecture, architecture, salt: 'proven' });
  const { toRegistry } = await publishRecorded(
    registry,
    publishRequest({
      sources: arches.map((arch) => parseSource(`${registry.host}/budget/proven:${arch}`)),
      targets: ['1.0', 'latest'].map((tag) => parseReference(`${registry.host}/budget/proven:${tag}`)),
      prove: 'binaries',
    }),
  );
  expect(toRegistry.map(described).filter((r) => r.startsWith('GET /v2/budget/proven/blobs/'))).toHaveLength(
    6,
  );
  // The budget above with one layer GET per source: 12 + 3.
  expect(toRegistry).toHaveLength(15);
});

/** Three per-arch images seeded in `from` (on the token registry), published as `to:1.0`. */
async function publishIntoAnotherRepository(from: string, to: string) {
  const registry = registries.token!;
  const raw = new RawRegistry(registry);
  const arches = ['amd64', 'arm64', 's390x'];
  for (const architecture of arches)
    await seedImage(raw, { repo: from, tag: architecture, architecture, salt: from });
  return publishRecorded(
    registry,
    publishRequest({
      sources: arches.map((arch) => parseSource(`${registry.host}/${from}:${arch}`)),
      targets: [parseReference(`${registry.host}/${to}:1.0`)],
    }),
  );
}

it('looks for referrers of three children in another repository with one tag list and one referrers API probe', async () => {
  const { toRegistry } = await publishIntoAnotherRepository('budget/signed', 'budget/release');
  // distribution 2.8 answers the first referrers request with 404: the registry has no API, and the other
  // children are not asked about; the tag list (once per source repository) shows no referrers tags.
  const lookups = toRegistry
    .map(described)
    .filter((r) => /\/referrers\/|\/tags\/list|manifests\/sha256-/.test(r));
  expect(lookups.sort()).toEqual([
    'GET /v2/budget/signed/referrers/DIGEST',
    'GET /v2/budget/signed/tags/list',
  ]);
});

it('mounts every blob of three children into another repository with one POST each, and no HEAD', async () => {
  const { toRegistry } = await publishIntoAnotherRepository('budget/built', 'budget/shipped');
  // A config and a layer for each of the three children, each mounted by one POST that the registry answers 201.
  const intoTarget = toRegistry
    .filter((sent) => sent.authorized && sent.path.startsWith('/v2/budget/shipped/blobs/'))
    .map((sent) => `${sent.method} ${sent.path.replace(/sha256:\w+/, 'DIGEST').replace(/\?.*/, '')}`);
  expect(intoTarget).toEqual(Array.from({ length: 6 }, () => 'POST /v2/budget/shipped/blobs/uploads/'));
});

it('copies three children to another registry reading each blob from its source once: the proof read them whole', async () => {
  const source = registries.none!;
  const target = registries.mirror!;
  const arches = ['amd64', 'arm64', 's390x'];
  const raw = new RawRegistry(source);
  for (const architecture of arches)
    await seedImage(raw, { repo: 'budget/built-here', tag: architecture, architecture, salt: 'once' });
  const { toRegistry, toOthers } = await publishRecorded(
    source,
    publishRequest({
      sources: arches.map((arch) => parseSource(`${source.host}/budget/built-here:${arch}`)),
      targets: [parseReference(`${target.host}/budget/shipped-there:1.0`)],
      prove: 'binaries',
    }),
    [target],
  );
  // A config and a layer per child: read by the proof, and uploaded to the target from what was read.
  const blobReads = toRegistry.filter((sent) => sent.path.includes('/blobs/')).map(described);
  expect(blobReads).toEqual(Array.from({ length: 6 }, () => 'GET /v2/budget/built-here/blobs/DIGEST'));
  const uploads = (toOthers[0] ?? []).filter(
    (sent) => sent.method === 'PUT' && sent.path.includes('/uploads/'),
  );
  expect(uploads).toHaveLength(6);
  expect(await new RawRegistry(target).hasManifest('budget/shipped-there', '1.0')).toBe(true);
});
