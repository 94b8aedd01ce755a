// Gating on platforms, end to end (`node dist/index.js` against a real registry): Windows platforms match as users
// write them, verify mode checks a published index without writing, templated sources are checked like declared ones.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';
import { seedImage, seedIndex, type SeededImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';

let registry: TestRegistry;
let raw: RawRegistry;
let proxy: FaultProxy;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  raw = new RawRegistry(registry);
  proxy = await startFaultProxy(registry); // no rules: it only records what arrives
});

afterAll(async () => {
  await proxy.stop();
  await registry.stop();
});

const ref = (repo: string, tag: string): string => `${registry.host}/${repo}:${tag}`;
/** The same image through the recording proxy. */
const proxied = (repo: string, tag: string): string => `${proxy.host}/${repo}:${tag}`;
const manifestsOf = (bytes: Uint8Array): Array<{ digest: string; platform: Record<string, string> }> =>
  JSON.parse(new TextDecoder().decode(bytes)).manifests;

/** Runs the action against the proxy only, and returns what it sent there. */
async function runThroughProxy(inputs: Record<string, string>) {
  const before = proxy.seen.length;
  const run = await runAction({ ...inputs, 'insecure-registries': proxy.host });
  return { run, requests: proxy.seen.slice(before).map(({ method, path }) => `${method} ${path}`) };
}

const writesIn = (requests: string[]): string[] =>
  requests.filter((line) => /^(PUT|POST|PATCH|DELETE) /.test(line));

/** A Windows Server 2019 image under `windows`: os.version 10.0.17763.5830, a foreign base layer. */
function seedWindows(repo: string): Promise<SeededImage> {
  return seedImage(raw, {
    repo,
    tag: 'windows',
    os: 'windows',
    architecture: 'amd64',
    osVersion: '10.0.17763.5830',
    format: 'docker',
    foreignBaseLayer: true,
  });
}

describe('a Linux and a Windows image', () => {
  it('merge under platforms linux/amd64,windows/amd64 into two repositories; Windows keeps its os.version', async () => {
    const repo = 'gate/win-src';
    const linux = await seedImage(raw, { repo, tag: 'linux', architecture: 'amd64', format: 'docker' });
    const windows = await seedWindows(repo);
    const run = await runAction({
      sources: `${ref(repo, 'linux')}\n${ref(repo, 'windows')}`,
      tags: `${ref('gate/win-a', '1.0')}\n${ref('gate/win-b', '1.0')}`,
      platforms: 'linux/amd64,windows/amd64',
    });
    expect(run.stdout).not.toContain('::error');
    expect(run.exitCode).toBe(0);
    expect(run.outputs.platforms).toBe('linux/amd64,windows(10.0.17763.5830)/amd64');
    expect(run.outputs['missing-platforms']).toBe('');
    for (const target of ['gate/win-a', 'gate/win-b']) {
      const served = await raw.getManifest(target, '1.0');
      expect(served.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
      expect(manifestsOf(served.bytes)).toEqual([
        expect.objectContaining({ digest: linux.digest, platform: { architecture: 'amd64', os: 'linux' } }),
        expect.objectContaining({
          digest: windows.digest,
          platform: { architecture: 'amd64', os: 'windows', 'os.version': '10.0.17763.5830' },
        }),
      ]);
      expect(Buffer.from((await raw.getManifest(target, windows.digest)).bytes)).toEqual(
        Buffer.from(windows.bytes),
      );
    }
    // The foreign base layer is referenced, never uploaded.
    const foreignLayer = JSON.parse(new TextDecoder().decode(windows.bytes)).layers[0].digest as string;
    expect(await raw.hasBlob('gate/win-b', foreignLayer)).toBe(false);
  });

  it.each([
    ['windows(10.0.17763)/amd64', 0, ''],
    ['windows(10.0.20348)/amd64', 1, 'windows(10.0.20348)/amd64'],
  ])('checks a required os.version as written: %s', async (required, failed, missing) => {
    const repo = 'gate/win-version';
    await seedWindows(repo);
    const run = await runAction({ sources: ref(repo, 'windows'), push: 'false', platforms: required });
    expect(run.exitCode !== 0).toBe(failed === 1);
    expect(run.outputs['missing-platforms']).toBe(missing);
  });
});

describe('verify mode: push false, no tags', () => {
  async function seedTwo(repo: string): Promise<SeededImage[]> {
    return [
      await seedImage(raw, { repo, architecture: 'amd64' }),
      await seedImage(raw, { repo, architecture: 'arm64' }),
    ];
  }

  it('passes a good index and sends the registry no write at all', async () => {
    const repo = 'gate/verify-good';
    const index = await seedIndex(raw, { repo, tag: '1.2.3', children: await seedTwo(repo) });
    const tagsBefore = await raw.listTags(repo);
    const { run, requests } = await runThroughProxy({
      sources: proxied(repo, '1.2.3'),
      push: 'false',
      platforms: 'linux/amd64,linux/arm64',
      // What a rebuilt index would carry; the index verified is reported as it stands.
      annotations: 'index:org.opencontainers.image.revision=abc123',
    });
    expect(run.outputs.digest).toBe(index.digest);
    expect(run.outputs.manifest).toBe(new TextDecoder().decode(index.bytes));
    expect(run.summary).toContain('<h2>Sources verified: nothing was written (verify mode)</h2>');
    expect(run.summary).toContain(`docker buildx imagetools inspect ${proxy.host}/${repo}@${index.digest}`);
    expect(run.stdout).not.toContain('::error');
    expect(run.exitCode).toBe(0);
    expect(run.outputs.platforms).toBe('linux/amd64,linux/arm64');
    expect(run.outputs['missing-platforms']).toBe('');
    expect(run.outputs.image).toBe('');
    // It read the index, both manifests and both configs; it wrote nothing.
    expect(requests.filter((line) => line.startsWith('GET ')).length).toBeGreaterThanOrEqual(5);
    expect(writesIn(requests)).toEqual([]);
    expect(await raw.listTags(repo)).toEqual(tagsBefore);
  });

  it('fails an index whose descriptor lies, naming what it claims and what it is, and writes nothing', async () => {
    const repo = 'gate/verify-lies';
    const [amd64, arm64] = await seedTwo(repo);
    const liar = await seedImage(raw, { repo, architecture: 'amd64', salt: 'liar' });
    await seedIndex(raw, {
      repo,
      tag: '1.2.3',
      children: [amd64!, liar],
      platforms: [amd64!.platform, arm64!.platform],
    });
    const { run, requests } = await runThroughProxy({ sources: proxied(repo, '1.2.3'), push: 'false' });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain(
      `its index lists ${liar.digest} as linux/arm64 but that image's config says it is linux/amd64`,
    );
    expect(writesIn(requests)).toEqual([]);
  });

  it('fails when required platforms are missing, and lists them in missing-platforms', async () => {
    const repo = 'gate/verify-missing';
    await seedIndex(raw, { repo, tag: '1.2.3', children: await seedTwo(repo) });
    const { run, requests } = await runThroughProxy({
      sources: proxied(repo, '1.2.3'),
      push: 'false',
      platforms: 'linux/amd64,linux/arm/v7,windows/amd64',
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain('required platforms linux/arm/v7, windows/amd64 missing from the sources');
    expect(run.outputs['missing-platforms']).toBe('linux/arm/v7,windows/amd64');
    expect(writesIn(requests)).toEqual([]);
  });

  it('says a bare digest needs tags, before any request', async () => {
    const { run, requests } = await runThroughProxy({ sources: `sha256:${'a'.repeat(64)}`, push: 'false' });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toContain('a bare digest is looked up in the target repositories');
    expect(requests).toEqual([]);
  });
});

describe('a templated source', () => {
  const PLATFORMS = 'linux/amd64,linux/arm64,linux/arm/v7';

  async function seedPerArch(repo: string, arm64Architecture = 'arm64'): Promise<void> {
    await seedImage(raw, { repo, tag: '1.0-amd64', architecture: 'amd64' });
    await seedImage(raw, { repo, tag: '1.0-arm64', architecture: arm64Architecture });
    await seedImage(raw, { repo, tag: '1.0-armv7', architecture: 'arm', variant: 'v7' });
  }

  it('expands over platforms and publishes three platforms', async () => {
    const repo = 'gate/template';
    await seedPerArch(repo);
    const run = await runAction({
      sources: ref(repo, '1.0-{arch}{variant}'),
      platforms: PLATFORMS,
      tags: ref(repo, '1.0'),
    });
    expect(run.stdout).not.toContain('::error');
    expect(run.exitCode).toBe(0);
    expect(run.outputs.platforms).toBe('linux/amd64,linux/arm64,linux/arm/v7');
    const served = manifestsOf((await raw.getManifest(repo, '1.0')).bytes);
    expect(served.map((entry) => entry.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux' },
      { architecture: 'arm', os: 'linux', variant: 'v7' },
    ]);
  });

  it('fails, before anything is written, when an expanded tag holds the wrong architecture', async () => {
    const repo = 'gate/template-wrong';
    await seedPerArch(repo, 'amd64');
    const { run, requests } = await runThroughProxy({
      sources: proxied(repo, '1.0-{arch}{variant}'),
      platforms: PLATFORMS,
      tags: proxied(repo, '1.0'),
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(
      /"[^"]*:1\.0-arm64" is declared linux\/arm64 but its config says it is linux\/amd64/,
    );
    expect(writesIn(requests)).toEqual([]);
    // The summary shows every source read, what its config says, and the check that failed, in one table.
    expect(run.summary).toContain('<h2>Multi-platform image not published: Platform check failed</h2>');
    expect(run.summary).not.toContain('No source was');
    const rowsOf = (html: string) =>
      html
        .slice(html.indexOf('<h3>Platforms</h3>'))
        .split('\n')
        .filter((line) => line.startsWith('<tr><td>'));
    expect(rowsOf(run.summary).map((row) => /<td>(.*?)<\/td><td>(.*?)<\/td>/.exec(row)!.slice(1))).toEqual([
      ['linux/<wbr>amd64', '&#10003;&#160;config, as declared'],
      ['linux/<wbr>amd64', '&#10007;&#160;declared linux/arm64'],
      ['linux/<wbr>arm/<wbr>v7', '&#10003;&#160;config, as declared'],
    ]);
    expect((await raw.listTags(repo)).sort()).toEqual(['1.0-amd64', '1.0-arm64', '1.0-armv7']);
  });
});
