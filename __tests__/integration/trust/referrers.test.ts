// Class 5 of the trust figures: carried referrers never overwrite the target's own and never dangle. Two real
// registries (distribution 2.8: no referrers API, so cosign's tags and the referrers tag carry them); what each
// target holds afterwards is read back.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedImage } from '../../../testkit/images.js';
import { jsonBytes, parseJsonBytes } from '../../../testkit/json.js';
import { MEDIA_TYPES } from '../../../testkit/media-types.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';
import { digestTag, seedCosignSignature, seedSbom } from '../../support/referrers.js';
import { trustTally } from '../../support/trust-figures.js';

const CASE_TIMEOUT_MS = 120_000;
const tally = trustTally('referrers (class 5)');

let source: TestRegistry;
let target: TestRegistry;
let rawSource: RawRegistry;
let rawTarget: RawRegistry;

beforeAll(async () => {
  [source, target] = await Promise.all([startRegistry(), startRegistry()]);
  rawSource = new RawRegistry(source);
  rawTarget = new RawRegistry(target);
});

afterAll(async () => {
  tally.print();
  await Promise.all([source?.stop(), target?.stop()]);
});

describe('cosign tags the target already has', () => {
  it.each(['.sig', '.att', '.sbom'])(
    'a %s tag at another digest: the target keeps its own, the run warns and publishes',
    async (suffix) => {
      const repo = `trust/keep${suffix.replace('.', '-')}`;
      const image = await seedImage(rawSource, { repo, tag: 'amd64', architecture: 'amd64', salt: repo });
      const ours = await seedCosignSignature(rawSource, repo, image);
      const tag = digestTag(image.digest, suffix);
      if (suffix !== '.sig') {
        // The source's attestation or SBOM under its own tag: a manifest of its own, not the signature again.
        const bytes = (await rawSource.getManifest(repo, ours.digest)).bytes;
        const own = { ...parseJsonBytes(bytes), annotations: { kind: suffix } };
        await rawSource.putManifest(repo, tag, MEDIA_TYPES.ociManifest, jsonBytes(own));
      }
      // The target's own signature, by another signer, under the same tag.
      await seedImage(rawTarget, { repo, tag: 'amd64', architecture: 'amd64', salt: repo });
      const theirs = await seedCosignSignature(rawTarget, repo, { digest: image.digest });
      const theirsBytes = (await rawTarget.getManifest(repo, theirs.digest)).bytes;
      const payload = { ...parseJsonBytes(theirsBytes), annotations: { signer: 'the target team' } };
      const theirDigest = await rawTarget.putManifest(repo, tag, MEDIA_TYPES.ociManifest, jsonBytes(payload));
      expect(theirDigest).not.toBe(ours.digest);

      const run = await runAction({
        sources: `${source.host}/${repo}:amd64`,
        tags: `${target.host}/${repo}:1.0`,
      });
      tally.check(run);
      const held = (await rawTarget.getManifest(repo, tag)).digest;
      tally.add('target tags overwritten', held === theirDigest ? 0 : 1);
      expect(held).toBe(theirDigest);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(`::warning::${target.host}/${repo}:${tag} already holds ${theirDigest}`);
      expect(run.summary).toContain(`already holds ${theirDigest}`);
      expect((await rawTarget.getManifest(repo, '1.0')).digest).toBe(run.outputs.digest);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );
});

describe('referrers whose subject is not a child', () => {
  it(
    "an SBOM of another image listed in the child's referrers tag: not carried, with a warning",
    async () => {
      const repo = 'trust/dangling';
      const image = await seedImage(rawSource, { repo, tag: 'amd64', architecture: 'amd64', salt: repo });
      const stranger = await seedImage(rawSource, {
        repo,
        tag: 'other',
        architecture: 'arm64',
        salt: 'stranger',
      });
      const sbom = await seedSbom(rawSource, repo, stranger);
      // The child's referrers tag lists it anyway (stale, or written by a careless tool).
      const index = jsonBytes({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [sbom.entry] });
      await rawSource.putManifest(repo, digestTag(image.digest), MEDIA_TYPES.ociIndex, index);

      const run = await runAction({
        sources: `${source.host}/${repo}:amd64`,
        tags: `${target.host}/${repo}:1.0`,
      });
      tally.check(run);
      const dangling = (await rawTarget.hasManifest(repo, sbom.digest)) ? 1 : 0;
      tally.add('dangling referrers pushed', dangling);
      expect(dangling).toBe(0);
      expect(await rawTarget.hasManifest(repo, digestTag(image.digest))).toBe(false);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(
        `referrer ${sbom.digest} in ${source.host}/${repo} is listed for ${image.digest} but its subject is ${stranger.digest}`,
      );
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'the same image with its own SBOM and signature: both carried (the control case)',
    async () => {
      const repo = 'trust/carried';
      const image = await seedImage(rawSource, { repo, tag: 'amd64', architecture: 'amd64', salt: repo });
      const [signature, sbom] = await Promise.all([
        seedCosignSignature(rawSource, repo, image),
        seedSbom(rawSource, repo, image),
      ]);
      const run = await runAction({
        sources: `${source.host}/${repo}:amd64`,
        tags: `${target.host}/${repo}:1.0`,
      });
      tally.check(run);
      expect(run.exitCode).toBe(0);
      expect((await rawTarget.getManifest(repo, digestTag(image.digest, '.sig'))).digest).toBe(
        signature.digest,
      );
      expect(await rawTarget.hasManifest(repo, sbom.digest)).toBe(true);
      expect(run.stdout).not.toContain('::warning::');
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );
});
