// Referrers travel with their subjects, end to end: `node dist/index.js` against two real registries (distribution
// 2.8, which has no referrers API), so the tag forms are what carries them: cosign's `sha256-<hex>.sig` and the
// referrers tag `sha256-<hex>`. What arrived is read back with the harness's raw client.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { registryErrorAnswer, startFaultProxy } from '../../support/fault-proxy.js';
import { seedImage, type SeededImage } from '../../../testkit/images.js';
import { parseJsonBytes } from '../../../testkit/json.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import {
  digestTag,
  seedCosignSignature,
  seedSbom,
  type ReferrerEntry,
  type SeededReferrer,
} from '../../support/referrers.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';

let source: TestRegistry;
let other: TestRegistry;
let rawSource: RawRegistry;
let rawOther: RawRegistry;

beforeAll(async () => {
  [source, other] = await Promise.all([startRegistry(), startRegistry()]);
  rawSource = new RawRegistry(source);
  rawOther = new RawRegistry(other);
});

afterAll(async () => {
  await Promise.all([source?.stop(), other?.stop()]);
});

interface Seeded {
  image: SeededImage;
  signature: SeededReferrer;
  sbom: SeededReferrer & { entry: ReferrerEntry };
  /** A signature on the SBOM: a referrer of a referrer. */
  sbomSignature: SeededReferrer;
}

/** An image with a cosign signature, an SBOM attached by `subject`, and a cosign signature on that SBOM. */
async function seedSignedImage(repo: string): Promise<Seeded> {
  const image = await seedImage(rawSource, { repo, tag: '1.0-amd64', architecture: 'amd64', salt: repo });
  const [signature, sbom] = await Promise.all([
    seedCosignSignature(rawSource, repo, image),
    seedSbom(rawSource, repo, image),
  ]);
  const sbomSignature = await seedCosignSignature(rawSource, repo, sbom);
  return { image, signature, sbom, sbomSignature };
}

/** Every manifest and blob of `seeded` is in `repo` at its digest, and each tag form points where it should. */
async function expectCarried(raw: RawRegistry, repo: string, seeded: Seeded): Promise<void> {
  const { image, signature, sbom, sbomSignature } = seeded;
  expect(await raw.hasManifest(repo, image.digest)).toBe(true);
  for (const referrer of [signature, sbom, sbomSignature]) {
    expect(await raw.hasManifest(repo, referrer.digest)).toBe(true);
    for (const blob of referrer.blobDigests) expect(await raw.hasBlob(repo, blob)).toBe(true);
  }
  expect((await raw.getManifest(repo, digestTag(image.digest, '.sig'))).digest).toBe(signature.digest);
  expect((await raw.getManifest(repo, digestTag(sbom.digest, '.sig'))).digest).toBe(sbomSignature.digest);
  const referrersTag = await raw.getManifest(repo, digestTag(image.digest));
  expect(referrersTag.status).toBe(200);
  expect(referrersTag.mediaType).toBe('application/vnd.oci.image.index.v1+json');
  const listed = parseJsonBytes<{ manifests: ReferrerEntry[] }>(referrersTag.bytes).manifests;
  expect(listed).toEqual([sbom.entry]);
}

it('carries a cosign signature and an SBOM attached by subject into another repository and another registry', async () => {
  const seeded = await seedSignedImage('signed/app');
  const run = await runAction({
    sources: `${source.host}/signed/app:1.0-amd64`,
    tags: `${source.host}/release/app:1.0\n${other.host}/mirror/app:1.0`,
  });
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  await expectCarried(rawSource, 'release/app', seeded);
  await expectCarried(rawOther, 'mirror/app', seeded);
  for (const referrer of [seeded.signature, seeded.sbom, seeded.sbomSignature]) {
    expect(run.stdout).toContain(`${source.host}/release/app: added referrer ${referrer.digest}`);
    expect(run.stdout).toContain(`${other.host}/mirror/app: added referrer ${referrer.digest}`);
  }

  // A second run finds everything in place: nothing is pushed again, the referrers tag still lists the SBOM once.
  const again = await runAction({
    sources: `${source.host}/signed/app:1.0-amd64`,
    tags: `${other.host}/mirror/app:1.0`,
  });
  expect(again.exitCode).toBe(0);
  expect(again.stdout).not.toContain('added referrer');
  await expectCarried(rawOther, 'mirror/app', seeded);
});

it('adds to a referrers tag the target already has, keeping what it lists', async () => {
  const seeded = await seedSignedImage('signed/kept');
  // The target holds the image with another SBOM already listed in its referrers tag.
  const image = seeded.image;
  await seedImage(rawOther, { repo: 'kept/app', architecture: 'amd64', salt: 'signed/kept' });
  const theirs = await seedSbom(rawOther, 'kept/app', image, 'another tool');
  const run = await runAction({
    sources: `${source.host}/signed/kept:1.0-amd64`,
    tags: `${other.host}/kept/app:1.0`,
  });
  expect(run.exitCode).toBe(0);
  const listed = parseJsonBytes<{ manifests: ReferrerEntry[] }>(
    (await rawOther.getManifest('kept/app', digestTag(image.digest))).bytes,
  ).manifests;
  expect(listed.map((entry) => entry.digest).sort()).toEqual([theirs.digest, seeded.sbom.digest].sort());
});

it('with referrers: skip, copies the child and nothing that refers to it', async () => {
  const { image, sbom } = await seedSignedImage('signed/skip');
  const run = await runAction({
    sources: `${source.host}/signed/skip:1.0-amd64`,
    tags: `${source.host}/skipped/app:1.0\n${other.host}/skipped/app:1.0`,
    referrers: 'skip',
  });
  expect(run.exitCode).toBe(0);
  for (const raw of [rawSource, rawOther]) {
    expect(await raw.hasManifest('skipped/app', image.digest)).toBe(true);
    expect(await raw.listTags('skipped/app')).toEqual(['1.0']);
    expect(await raw.hasManifest('skipped/app', sbom.digest)).toBe(false);
  }
  expect(run.stdout).not.toContain('added referrer');
});

it('names referrers: skip when the source refuses the referrers lookup, and writes nothing', async () => {
  const { image } = await seedSignedImage('signed/guarded');
  const guarded = await startFaultProxy(source);
  try {
    guarded.rules.push({
      method: 'GET',
      path: /^\/v2\/signed\/guarded\/referrers\//,
      fault: registryErrorAnswer(403, 'DENIED', 'requested access to the resource is denied'),
    });
    const inputs = {
      sources: `${guarded.host}/signed/guarded:1.0-amd64`,
      tags: `${other.host}/guarded/app:1.0`,
    };

    const refused = await runAction(inputs);

    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain(`to publish without carrying what refers to ${image.digest}`);
    expect(refused.stdout).toContain('set referrers: skip');
    expect(refused.stdout).toContain('Nothing was written.');
    expect(await rawOther.listTags('guarded/app')).toEqual([]);

    const skipped = await runAction({ ...inputs, referrers: 'skip' });
    expect(skipped.exitCode).toBe(0);
    expect(await rawOther.listTags('guarded/app')).toEqual(['1.0']);
  } finally {
    await guarded.stop();
  }
});
