// The product, end to end: `node dist/index.js` as the runner starts it, against a real registry.
// The registry's content is read back with the harness's raw client and with skopeo.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sha256Digest } from '../../../testkit/digest.js';
import { seedBuildxIndex, seedImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';
import { pullAndRun } from '../../../testkit/skopeo.js';
import { helloExecutable, type ElfArchitecture } from '../../../testkit/elf.js';

let registry: TestRegistry;
let raw: RawRegistry;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  raw = new RawRegistry(registry);
});

afterAll(async () => {
  await registry.stop();
});

const ref = (repo: string, tag: string): string => `${registry.host}/${repo}:${tag}`;
const manifestsOf = (bytes: Uint8Array): Array<{ digest: string; platform: Record<string, string> }> =>
  JSON.parse(new TextDecoder().decode(bytes)).manifests;

/** Three images, each holding a real program for its architecture that prints its platform. */
async function seedThree(repo: string, format: 'oci' | 'docker' = 'oci') {
  const image = (tag: string, architecture: ElfArchitecture, variant?: string) =>
    seedImage(raw, {
      repo,
      tag,
      architecture,
      format,
      ...(variant ? { variant } : {}),
      executable: helloExecutable(architecture, `linux/${architecture}${variant ? `/${variant}` : ''}\n`),
    });
  return {
    amd64: await image('amd64', 'amd64'),
    arm64: await image('arm64', 'arm64'),
    armv7: await image('armv7', 'arm', 'v7'),
  };
}

describe('publishing per-arch tags', () => {
  it('makes one index under two tags; skopeo pulls the right child per platform and its program runs there', async () => {
    const images = await seedThree('e2e/three');
    const run = await runAction({
      sources: [ref('e2e/three', 'amd64'), ref('e2e/three', 'arm64'), ref('e2e/three', 'armv7')].join('\n'),
      tags: `${ref('e2e/three', '1.0')}\n${ref('e2e/three', 'latest')}`,
      platforms: 'linux/amd64,linux/arm64,linux/arm/v7',
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const { digest } = run.outputs;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const tag of ['1.0', 'latest']) {
      const served = await raw.getManifest('e2e/three', tag);
      expect(sha256Digest(served.bytes)).toBe(digest);
      expect(Buffer.from(served.bytes).toString('utf8')).toBe(run.outputs.manifest);
    }
    expect(run.outputs.image).toBe(`${registry.host}/e2e/three@${digest}`);
    expect(run.outputs['media-type']).toBe('application/vnd.oci.image.index.v1+json');
    expect(run.outputs.platforms).toBe('linux/amd64,linux/arm64,linux/arm/v7');
    for (const [platform, image] of [
      ['linux/amd64', images.amd64],
      ['linux/arm64', images.arm64],
      ['linux/arm/v7', images.armv7],
    ] as const) {
      // What that platform pulls is the right child, and its program runs there (qemu-user-static when foreign).
      expect(await pullAndRun(ref('e2e/three', '1.0'), platform)).toEqual({
        digest: image.digest,
        output: `${platform}\n`,
      });
    }
    expect(run.summary).toContain(digest);
    expect(run.summary).toContain(images.armv7.digest);
  });

  it('makes a Docker manifest list from Docker schema 2 children under auto', async () => {
    await seedThree('e2e/docker', 'docker');
    const run = await runAction({
      sources: `${ref('e2e/docker', 'amd64')}, ${ref('e2e/docker', 'arm64')}`,
      tags: ref('e2e/docker', '1.0'),
    });
    expect(run.exitCode).toBe(0);
    const served = await raw.getManifest('e2e/docker', '1.0');
    expect(served.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    expect(run.outputs['media-type']).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
  });
});

describe('catching a wrong image', () => {
  it.each([
    [
      'with platforms',
      (tag: string) => ({ sources: tag, platforms: 'linux/arm64' }),
      /linux\/arm64 missing/,
      // The only output a failed run sets: what the gate found missing.
      { 'missing-platforms': 'linux/arm64' },
    ],
    [
      'with a declared platform',
      (tag: string) => ({ sources: `linux/arm64=${tag}` }),
      /declared linux\/arm64 but its config says it is linux\/amd64/,
      {},
    ],
  ])(
    'fails %s when an "arm64" tag holds amd64, and writes no tag',
    async (_name, inputs, message, outputs) => {
      const repo = `e2e/wrong-${_name.replace(/ /g, '-')}`;
      await seedImage(raw, { repo, tag: 'arm64', architecture: 'amd64' });
      const run = await runAction({ ...inputs(ref(repo, 'arm64')), tags: ref(repo, '1.0') });
      expect(run.exitCode).not.toBe(0);
      expect(run.stdout).toMatch(message);
      expect(run.stdout).toContain('::error');
      expect(run.outputs).toEqual(outputs);
      expect(await raw.listTags(repo)).toEqual(['arm64']);
    },
  );
});

describe('buildx-style sources', () => {
  it.each([
    ['keep', true],
    ['drop', false],
  ])('merges with attestations: %s', async (attestations, kept) => {
    const repo = `e2e/buildx-${attestations}`;
    const amd = await seedBuildxIndex(raw, {
      repo,
      tag: 'amd64',
      images: [{ architecture: 'amd64' }],
      salt: attestations,
    });
    const arm = await seedBuildxIndex(raw, {
      repo,
      tag: 'arm64',
      images: [{ architecture: 'arm64' }],
      salt: attestations,
    });
    const run = await runAction({
      sources: `${ref(repo, 'amd64')}\n${ref(repo, 'arm64')}`,
      tags: ref(repo, '1.0'),
      attestations,
    });
    expect(run.exitCode).toBe(0);
    const served = manifestsOf((await raw.getManifest(repo, '1.0')).bytes).map((m) => m.digest);
    const images = [amd.children[0]!.digest, arm.children[0]!.digest];
    const attestationDigests = [amd.attestations[0]!.digest, arm.attestations[0]!.digest];
    expect(served).toEqual(kept ? [...images, ...attestationDigests] : images);
    for (const digest of served) expect(await raw.hasManifest(repo, digest)).toBe(true);
    expect(run.outputs.platforms).toBe('linux/amd64,linux/arm64');
  });
});

describe('dry runs and repeated runs', () => {
  it('writes nothing with push: false and reports the digest the push then produces', async () => {
    await seedThree('e2e/dry');
    const inputs = {
      sources: `${ref('e2e/dry', 'amd64')},${ref('e2e/dry', 'arm64')}`,
      tags: ref('e2e/dry', '1.0'),
    };
    const dry = await runAction({ ...inputs, push: 'false' });
    expect(dry.exitCode).toBe(0);
    expect(await raw.hasManifest('e2e/dry', '1.0')).toBe(false);
    // Nothing was pushed: no reference to give out.
    expect([dry.outputs.image, dry.outputs.images]).toEqual(['', '']);
    const real = await runAction(inputs);
    expect(real.outputs.digest).toBe(dry.outputs.digest);
    expect(sha256Digest((await raw.getManifest('e2e/dry', '1.0')).bytes)).toBe(dry.outputs.digest);
    const again = await runAction(inputs);
    expect(again.outputs.digest).toBe(dry.outputs.digest);
    expect(again.stdout).toContain(`${ref('e2e/dry', '1.0')} is already at ${dry.outputs.digest}`);
  });
});

describe('matrix builds and append', () => {
  it('merges bare digests pushed by digest to the target repository', async () => {
    const amd = await seedImage(raw, { repo: 'e2e/matrix', architecture: 'amd64' });
    const arm = await seedImage(raw, { repo: 'e2e/matrix', architecture: 'arm64' });
    const run = await runAction({ sources: `${amd.digest}\n${arm.digest}`, tags: ref('e2e/matrix', 'main') });
    expect(run.exitCode).toBe(0);
    expect(manifestsOf((await raw.getManifest('e2e/matrix', 'main')).bytes).map((m) => m.digest)).toEqual([
      amd.digest,
      arm.digest,
    ]);
  });

  it('adds a platform to an existing index with append', async () => {
    const images = await seedThree('e2e/append');
    const first = await runAction({
      sources: `${ref('e2e/append', 'amd64')},${ref('e2e/append', 'arm64')}`,
      tags: ref('e2e/append', '1.0'),
    });
    expect(first.exitCode).toBe(0);
    const run = await runAction({
      sources: ref('e2e/append', 'armv7'),
      tags: ref('e2e/append', '1.0'),
      append: 'true',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.platforms).toBe('linux/amd64,linux/arm64,linux/arm/v7');
    expect(manifestsOf((await raw.getManifest('e2e/append', '1.0')).bytes).map((m) => m.digest)).toEqual([
      images.amd64.digest,
      images.arm64.digest,
      images.armv7.digest,
    ]);
  });
});

describe('bad input', () => {
  const good = (): { sources: string; tags: string } => ({
    sources: ref('e2e/bad', 'amd64'),
    tags: ref('e2e/bad', '1.0'),
  });
  beforeAll(async () => {
    await seedImage(raw, { repo: 'e2e/bad', tag: 'amd64', architecture: 'amd64' });
  });

  it.each([
    ['a bad tag', { tags: '127.0.0.1:1/e2e/bad:bad tag!' }, /tags.*bad tag!/],
    ['an uppercase repository', { tags: '127.0.0.1:1/E2E/Bad:1.0' }, /lowercase/],
    [
      'a missing source image',
      { sources: 'REGISTRY/e2e/bad:no-such-tag' },
      /no-such-tag.*(404|MANIFEST_UNKNOWN|not found)/i,
    ],
    ['an unknown platform', { platforms: 'linux/amd64/v9/x' }, /platforms.*linux\/amd64\/v9\/x/],
    ['a bad format', { format: 'yaml' }, /format.*yaml/],
    ['empty sources', { sources: '' }, /sources/],
  ])(
    'fails on %s with a clear message, no stack trace, and writes nothing',
    async (_name, change, message) => {
      const inputs: Record<string, string> = { ...good(), ...change };
      inputs.sources = inputs.sources!.replace('REGISTRY', registry.host);
      const run = await runAction(inputs);
      expect(run.exitCode).not.toBe(0);
      expect(run.stdout).toMatch(message);
      expect(run.stdout).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
      expect(run.outputs).toEqual({});
      expect(await raw.listTags('e2e/bad')).toEqual(['amd64']);
    },
  );
});
