// The registry matrix: the main scenarios of the action, run as a runner runs it (`node dist/index.js`), against
// one emulated registry per profile (__tests__/support/quirks/), each a set of rules in front of one shared real
// distribution registry. Every scenario ends with the right index served through the profile and held by the
// registry behind it, or with the refusal named and every tag where the summary says it is. No credential ever
// reaches a host it does not belong to. The README's Registries table is rendered from what this test saw.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seedImage, seedIndex, type SeededImage } from '../../../testkit/images.js';
import { parseJsonBytes } from '../../../testkit/json.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction, type ActionRun } from '../../../testkit/run-action.js';
import { digestTag, seedCosignSignature, seedSbom } from '../../support/referrers.js';
import {
  renderCompatibilityTable,
  replaceTable,
  type MatrixResults,
  type Outcome,
  type Scenario,
} from '../../support/quirks/compatibility-table.js';
import { errorAnswer } from '../../support/quirks/exchange.js';
import type { RegistryProfile } from '../../support/quirks/profile.js';
import { readThrough } from '../../support/quirks/profile-client.js';
import { PROFILES } from '../../support/quirks/profiles/index.js';
import { basicHeader, bearerAuth } from '../../support/quirks/rules/auth.js';
import { startQuirkRegistry, type QuirkRegistry } from '../../support/quirks/quirk-registry.js';

const README = join(process.cwd(), 'README.md');
const ELSEWHERE = { username: 'elsewhere-user', password: 'elsewhere-password' };

let backend: TestRegistry;
let raw: RawRegistry;
/** Another registry (stock distribution) for the scenarios that cross registries. */
let elsewhere: QuirkRegistry;
const results: MatrixResults = {};
const started = Date.now();

beforeAll(async () => {
  backend = await startRegistry({ auth: 'none', deletes: true });
  raw = new RawRegistry(backend);
  elsewhere = await startQuirkRegistry(
    [...bearerAuth({ service: 'elsewhere', tokenPath: '/token', login: ELSEWHERE, fields: 'both' })],
    { url: backend.url, storageDir: backend.storageDir! },
  );
});

afterAll(async () => {
  await elsewhere?.stop();
  await backend?.stop();
  // Seconds, for the closing note of a change to the matrix; not asserted.
  process.stderr.write(`registry matrix: ${Math.round((Date.now() - started) / 1000)} s\n`);
});

/** The `::error` annotation, decoded. */
function annotation(run: ActionRun): string {
  const line = run.stdout.split('\n').find((entry) => entry.startsWith('::error '));
  return (line ?? '').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

describe.each(PROFILES.map((profile) => [profile.name, profile] as const))('%s', (_name, profile) => {
  let registry: QuirkRegistry;
  let amd64: SeededImage;
  let arm64: SeededImage;
  const repo = (name: string): string => `${profile.id}/${name}`;
  const at = (name: string, tag: string): string => `${registry.host}/${repo(name)}:${tag}`;
  const other = (name: string, tag: string): string =>
    `${elsewhere.host}/${profile.id}-elsewhere/${name}:${tag}`;
  const record = (scenario: Scenario, outcome: Outcome): void => {
    results[profile.id] = { ...results[profile.id], [scenario]: outcome };
  };

  const run = (inputs: Record<string, string>): Promise<ActionRun> => {
    const auth = (host: string, login: { username: string; password: string }) => ({
      [host]: { auth: Buffer.from(`${login.username}:${login.password}`).toString('base64') },
    });
    const config = { auths: { ...auth(registry.host, profile.login), ...auth(elsewhere.host, ELSEWHERE) } };
    return runAction(inputs, { DOCKER_AUTH_CONFIG: JSON.stringify(config) });
  };

  /** The index at `name:tag`, as the profile serves it and as the registry behind holds it. */
  async function expectIndexAt(host: string, login: RegistryProfile['login'], path: string, digest: string) {
    const served = await readThrough(host, login, path);
    expect(served.status).toBe(200);
    expect(served.digest).toBe(digest);
    const held = await raw.getManifest(path.split('/manifests/')[0]!.slice(4), path.split('/manifests/')[1]!);
    expect(held.digest).toBe(digest);
    return parseJsonBytes<{ manifests: Array<{ digest: string; platform?: { architecture: string } }> }>(
      served.bytes,
    );
  }
  const expectTag = (name: string, tag: string, digest: string) =>
    expectIndexAt(registry.host, profile.login, `/v2/${repo(name)}/manifests/${tag}`, digest);

  beforeAll(async () => {
    registry = await startQuirkRegistry(profile.rules(), {
      url: backend.url,
      storageDir: backend.storageDir!,
    });
    [amd64, arm64] = await Promise.all([
      seedImage(raw, { repo: repo('src'), tag: 'amd64', architecture: 'amd64', salt: profile.id }),
      seedImage(raw, { repo: repo('src'), tag: 'arm64', architecture: 'arm64', salt: profile.id }),
    ]);
  });

  afterAll(async () => {
    await registry?.stop();
    // Which emulations the scenarios ran into, for the closing note of a change to a profile; not asserted.
    const quirks = profile.rules().map((rule) => rule.quirk);
    const idle = quirks.filter((quirk) => !registry?.fired.has(quirk));
    process.stderr.write(
      `${profile.id}: exercised ${[...(registry?.fired ?? [])].join('; ')} | idle ${idle.join('; ')}\n`,
    );
  });

  it('publishes across repositories (mounts)', async () => {
    const result = await run({
      sources: `${at('src', 'amd64')}\n${at('src', 'arm64')}`,
      tags: at('app', '1'),
    });
    expect(annotation(result)).toBe('');
    expect(result.exitCode).toBe(0);
    const index = await expectTag('app', '1', result.outputs['digest']!);
    expect(index.manifests.map((child) => child.digest)).toEqual([amd64.digest, arm64.digest]);
    record('mount', 'published');
  });

  it('publishes across registries (copies both ways)', async () => {
    const far = await seedImage(raw, {
      repo: `${profile.id}-elsewhere/src`,
      tag: 'amd64',
      architecture: 'amd64',
      salt: `${profile.id} elsewhere`,
    });
    const result = await run({
      sources: `${other('src', 'amd64')}\n${at('src', 'arm64')}`,
      tags: `${at('copy', '1')}\n${other('copy', '1')}`,
    });
    expect(annotation(result)).toBe('');
    expect(result.exitCode).toBe(0);
    const digest = result.outputs['digest']!;
    const index = await expectTag('copy', '1', digest);
    expect(index.manifests.map((child) => child.digest)).toEqual([far.digest, arm64.digest]);
    await expectIndexAt(elsewhere.host, ELSEWHERE, `/v2/${profile.id}-elsewhere/copy/manifests/1`, digest);
    for (const blob of [...arm64.layerDigests, arm64.configDigest]) {
      expect(await raw.hasBlob(`${profile.id}-elsewhere/copy`, blob)).toBe(true);
    }
    record('copy', 'published');
  });

  it('re-publishes over a tag that holds an older release', async () => {
    const older = await seedImage(raw, {
      repo: repo('again'),
      tag: '1',
      architecture: 'amd64',
      salt: 'older',
    });
    const result = await run({
      sources: `${at('src', 'amd64')}\n${at('src', 'arm64')}`,
      tags: at('again', '1'),
    });
    expect(annotation(result)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.outputs['digest']).not.toBe(older.digest);
    await expectTag('again', '1', result.outputs['digest']!);
    record('republish', 'published');
  });

  if (profile.immutableTags) {
    it('refuses to overwrite an immutable tag, naming the refusal, and moves no tag', async () => {
      const older = await seedImage(raw, {
        repo: repo('locked'),
        tag: '1',
        architecture: 'amd64',
        salt: 'locked',
      });
      const result = await run({
        sources: `${at('src', 'amd64')}\n${at('src', 'arm64')}`,
        tags: `${at('locked', '1')}`,
      });
      expect(result.exitCode).toBe(1);
      expect(annotation(result)).toContain(`failed to move tag ${at('locked', '1')}`);
      expect(annotation(result)).toContain(
        `repository ${registry.host}/${repo('locked')} has immutable tags`,
      );
      expect(result.summary).toContain('not touched');
      expect((await raw.getManifest(repo('locked'), '1')).digest).toBe(older.digest);
      record('immutable', 'refused, tags untouched');
    });
  } else {
    record('immutable', 'not applicable');
  }

  it('puts every tag back when one is refused, and names a new tag it cannot remove', async () => {
    const older = await seedImage(raw, { repo: repo('roll'), tag: '1', architecture: 'amd64', salt: 'roll' });
    await raw.putManifest(repo('roll'), 'bad', older.mediaType, older.bytes);
    registry.extraRules.splice(0, registry.extraRules.length, {
      quirk: 'scenario: one tag refused',
      before: (exchange) =>
        exchange.method === 'PUT' && exchange.url.pathname === `/v2/${repo('roll')}/manifests/bad`
          ? errorAnswer(403, [{ code: 'DENIED', message: 'requested access to the resource is denied' }])
          : undefined,
    });
    const result = await run({
      sources: `${at('src', 'amd64')}\n${at('src', 'arm64')}`,
      tags: [at('roll', '1'), at('roll', 'new'), at('roll', 'bad')].join('\n'),
    });
    registry.extraRules.length = 0;
    expect(result.exitCode).toBe(1);
    expect(annotation(result)).toContain(`failed to move tag ${at('roll', 'bad')}`);
    expect((await raw.getManifest(repo('roll'), '1')).digest).toBe(older.digest);
    expect((await raw.getManifest(repo('roll'), 'bad')).digest).toBe(older.digest);
    const created = await raw.getManifest(repo('roll'), 'new');
    const left = created.status === 404 ? undefined : created.digest;
    expect(left === undefined ? 'deleted' : 'left').toBe(profile.deletesTags ? 'deleted' : 'left');
    expect(result.summary).toContain(
      left === undefined
        ? 'Every tag moved was put back'
        : `Tags left moved: ${at('roll', 'new')} (now ${left})`,
    );
    // Where the registry cannot delete a tag, the error says so, and that the new tag holds the index.
    const named =
      left === undefined
        ? []
        : [
            `${at('roll', 'new')}: stuck, holds ${left} (could not be put back: failed to delete tag`,
            `${registry.host} cannot delete tags through its API`,
          ];
    for (const words of named) expect(annotation(result)).toContain(words);
    record('rollback', left === undefined ? 'every tag put back' : 'new tag left, named');
  });

  /** An image with a cosign signature and an SBOM by subject, published with `referrers: copy`. */
  async function publishSigned() {
    const image = await seedImage(raw, {
      repo: repo('signed'),
      tag: '1-amd64',
      architecture: 'amd64',
      salt: 'signed',
    });
    const [signature, sbom] = await Promise.all([
      seedCosignSignature(raw, repo('signed'), image),
      seedSbom(raw, repo('signed'), image),
    ]);
    const result = await run({
      sources: at('signed', '1-amd64'),
      tags: at('signed-out', '1'),
      referrers: 'copy',
    });
    expect(annotation(result)).toBe('');
    expect(result.exitCode).toBe(0);
    await expectTag('signed-out', '1', result.outputs['digest']!);
    const target = repo('signed-out');
    expect((await raw.getManifest(target, digestTag(image.digest, '.sig'))).digest).toBe(signature.digest);
    return { image, sbom, result, target };
  }

  if (profile.referrers === 'cosign tags only') {
    it('carries a cosign signature, and says what is attached by subject cannot be found', async () => {
      const { image, sbom, result, target } = await publishSigned();
      expect(result.stdout).toContain(
        `answers its referrers tag ${digestTag(image.digest)} with ${image.digest} itself`,
      );
      expect(await raw.hasManifest(target, sbom.digest)).toBe(false);
      record('referrers', 'cosign tags only, warned');
    });
  } else {
    it('carries a cosign signature and an SBOM attached by subject (referrers: copy)', async () => {
      const { image, sbom, target } = await publishSigned();
      expect(await raw.hasManifest(target, sbom.digest)).toBe(true);
      const listing =
        profile.referrers === 'api'
          ? await readThrough(registry.host, profile.login, `/v2/${target}/referrers/${image.digest}`)
          : await raw.getManifest(target, digestTag(image.digest));
      const listed = parseJsonBytes<{ manifests: Array<{ digest: string }> }>(listing.bytes).manifests;
      expect(listed.map((entry) => entry.digest)).toEqual([sbom.digest]);
      record(
        'referrers',
        profile.referrers === 'api' ? 'published, referrers API' : 'published, referrers tag',
      );
    });
  }

  it('appends a platform to the index at the tag', async () => {
    const base = await seedImage(raw, { repo: repo('appended'), architecture: 'amd64', salt: 'appended' });
    await seedIndex(raw, { repo: repo('appended'), tag: '1', format: 'oci', children: [base] });
    const result = await run({ sources: at('src', 'arm64'), tags: at('appended', '1'), append: 'true' });
    expect(annotation(result)).toBe('');
    expect(result.exitCode).toBe(0);
    const index = await expectTag('appended', '1', result.outputs['digest']!);
    expect(index.manifests.map((child) => child.digest)).toEqual([base.digest, arm64.digest]);
    record('append', 'published');
  });

  /** Publishes the OCI amd64 image with a Docker-format one: an OCI index listing both formats. */
  async function publishMixed(): Promise<ActionRun> {
    await seedImage(raw, {
      repo: repo('src'),
      tag: 's390x-docker',
      architecture: 's390x',
      format: 'docker',
      salt: profile.id,
    });
    return run({ sources: `${at('src', 'amd64')}\n${at('src', 's390x-docker')}`, tags: at('mixed', '1') });
  }

  if (profile.mixedFormats) {
    it('publishes an OCI index listing OCI and Docker children', async () => {
      const result = await publishMixed();
      expect(annotation(result)).toBe('');
      expect(result.exitCode).toBe(0);
      await expectTag('mixed', '1', result.outputs['digest']!);
      record('mixed', 'published');
    });
  } else {
    it('is refused an OCI index listing Docker children, and says to publish one format', async () => {
      const result = await publishMixed();
      expect(result.exitCode).toBe(1);
      expect(annotation(result)).toContain(`failed to move tag ${at('mixed', '1')}`);
      expect(annotation(result)).toContain('refuses an OCI index that lists Docker manifests');
      expect((await raw.getManifest(repo('mixed'), '1')).status).toBe(404);
      record('mixed', 'refused, index not written');
    });
  }

  it('verifies without writing anything (verify mode)', async () => {
    const before = registry.seen.length;
    const result = await run({ sources: `${at('src', 'amd64')}\n${at('src', 'arm64')}`, push: 'false' });
    expect(annotation(result)).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.outputs['digest']).toMatch(/^sha256:/);
    const writes = registry.seen.slice(before).filter((seen) => !['GET', 'HEAD'].includes(seen.method));
    expect(writes).toEqual([]);
    record('verify', 'published');
  });

  it('sends no credential where it does not belong', () => {
    // None at the storage, web and upload hosts; the profile's own login only to it (its token endpoint, or its
    // API when it takes Basic); the other registry never sees it.
    const own = basicHeader(profile.login);
    const astray = registry.seen.filter(
      (seen) =>
        (seen.authorization !== undefined && ['storage', 'web', 'uploads'].includes(seen.site)) ||
        (seen.authorization?.startsWith('Basic ') === true && seen.authorization !== own),
    );
    expect(astray).toEqual([]);
    expect(elsewhere.seen.filter((seen) => seen.authorization === own)).toEqual([]);
  });
});

it("renders the README's Registries table from what it saw", async () => {
  const readme = await readFile(README, 'utf8');
  const rendered = replaceTable(readme, renderCompatibilityTable(PROFILES, results));
  if (process.env['REGISTRY_MATRIX_UPDATE'] === '1') await writeFile(README, rendered);
  const written = await readFile(README, 'utf8');
  // Only a complete run vouches for the README: a filtered one leaves cells unknown.
  const complete = Object.keys(results).length === PROFILES.length;
  expect(complete ? rendered : written).toBe(written);
});
