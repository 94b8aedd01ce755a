// The matrix recipe in one step, through the bundled action against a real registry: docker/metadata-action's
// json output, the recipe's digest files, the run's context as annotations, compressed layout artifacts, and the
// error for a source that is not there.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256Digest } from '../../../testkit/digest.js';
import { seedImage, type SeededImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';

const run = promisify(execFile);

let registry: TestRegistry;
let raw: RawRegistry;
let dir: string;
let amd64: SeededImage;
let arm64: SeededImage;

interface PushedIndex {
  mediaType: string;
  annotations?: Record<string, string>;
  manifests: Array<{ digest: string }>;
}

/** The index under `repo:tag` as the registry serves it, checked against the action's digest output. */
async function served(repo: string, tag: string, digest: string | undefined): Promise<PushedIndex> {
  const manifest = await raw.getManifest(repo, tag);
  expect(manifest.status).toBe(200);
  expect(sha256Digest(manifest.bytes)).toBe(digest);
  return JSON.parse(new TextDecoder().decode(manifest.bytes)) as PushedIndex;
}

beforeAll(async () => {
  registry = await startRegistry();
  raw = new RawRegistry(registry);
  dir = await mkdtemp(join(tmpdir(), 'multiarch-publish-recipe-'));
  // Pushed by digest only, as the recipe's build jobs do (push-by-digest=true).
  [amd64, arm64] = await Promise.all([
    seedImage(raw, { repo: 'acme/app', architecture: 'amd64' }),
    seedImage(raw, { repo: 'acme/app', architecture: 'arm64' }),
  ]);
  await seedImage(raw, { repo: 'build/app', tag: 'amd64', architecture: 'amd64' });
});

afterAll(async () => {
  await registry.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the matrix recipe', () => {
  it('merges the digest files of digests:DIR, with tags and annotations from metadata-action json alone', async () => {
    const digests = join(dir, 'digests');
    await mkdir(digests);
    // As the recipe writes them: empty files named by the digest, with or without the algorithm.
    await writeFile(join(digests, amd64.digest.slice('sha256:'.length)), '');
    await writeFile(join(digests, `sha256-${arm64.digest.slice('sha256:'.length)}`), '');
    await writeFile(join(digests, '.keep'), '');
    const metadata = JSON.stringify({
      tags: [`${registry.host}/acme/app:1.2.3`, `${registry.host}/acme/app:latest`],
      'tag-names': ['1.2.3', 'latest'],
      labels: { 'org.opencontainers.image.version': '1.2.3' },
      annotations: [
        'manifest:org.opencontainers.image.title=app',
        'manifest:org.opencontainers.image.version=1.2.3',
      ],
    });
    const result = await runAction({
      sources: `digests:${digests}`,
      metadata,
      platforms: 'linux/amd64,linux/arm64',
    });
    expect(result.stdout).not.toContain('::error');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('metadata: applied 2 manifest: line(s)');

    for (const tag of ['1.2.3', 'latest']) {
      const index = await served('acme/app', tag, result.outputs.digest);
      expect(index.manifests.map((entry) => entry.digest).sort()).toEqual(
        [amd64.digest, arm64.digest].sort(),
      );
      expect(index.annotations).toEqual({
        'org.opencontainers.image.title': 'app',
        'org.opencontainers.image.version': '1.2.3',
      });
    }
  });

  it('annotates the index with the run’s repository and commit, the same digest for the same commit', async () => {
    const env = {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_SHA: 'f'.repeat(40),
      GITHUB_RUN_ID: '42',
    };
    const inputs = {
      sources: `${registry.host}/acme/app@${amd64.digest}\n${registry.host}/acme/app@${arm64.digest}`,
      tags: `${registry.host}/acme/app:context`,
    };
    const first = await runAction(inputs, env);
    expect(first.stdout).not.toContain('::error');
    expect(first.exitCode).toBe(0);
    const index = await served('acme/app', 'context', first.outputs.digest);
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.annotations).toEqual({
      'org.opencontainers.image.source': 'https://github.com/acme/app',
      'org.opencontainers.image.revision': 'f'.repeat(40),
    });
    expect(first.summary).toContain(`https://github.com/acme/app/commit/${'f'.repeat(40)}`);
    expect(first.summary).toContain('https://github.com/acme/app/actions/runs/42');

    const again = await runAction(inputs, env);
    expect(again.outputs.digest).toBe(first.outputs.digest);
    const off = await runAction({ ...inputs, 'context-annotations': 'false' }, env);
    expect(off.outputs.digest).not.toBe(first.outputs.digest);
    expect(JSON.parse(off.outputs.manifest ?? '{}').annotations).toBeUndefined();
  });

  it('publishes .tar.gz and .zip layout artifacts', async () => {
    const layout = join(dir, 'layout');
    await run(
      'skopeo',
      ['copy', '--src-tls-verify=false', `docker://${registry.host}/build/app:amd64`, `oci:${layout}:amd64`],
      { timeout: 60_000 },
    );
    await run('tar', ['-czf', join(dir, 'layout.tar.gz'), '-C', layout, '.']);
    // zip of the folder itself, as `zip -r` of a build's output folder gives.
    await run('zip', ['-qr', join(dir, 'layout.zip'), 'layout'], { cwd: dir });
    for (const artifact of ['layout.tar.gz', 'layout.zip']) {
      const result = await runAction({
        sources: `oci-layout:${join(dir, artifact)}`,
        tags: `${registry.host}/release/app:${artifact.replace('.', '-')}`,
      });
      expect(result.stdout).not.toContain('::error');
      expect(result.exitCode).toBe(0);
      expect(result.outputs.platforms).toBe('linux/amd64');
      const index = await served('release/app', artifact.replace('.', '-'), result.outputs.digest);
      expect(index.manifests).toHaveLength(1);
    }
  });

  it('names a compressed artifact that is not a layout', async () => {
    const bogus = join(dir, 'bogus.tar.gz');
    await run('tar', ['-czf', bogus, '-C', join(dir, 'digests'), '.']);
    const result = await runAction({
      sources: `oci-layout:${bogus}`,
      tags: `${registry.host}/release/app:bogus`,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`oci-layout:${bogus}`);
  });

  it('says which source is not found, where, and what to check', async () => {
    const result = await runAction({
      sources: `${registry.host}/acme/app:1.0-amd64`,
      tags: `${registry.host}/acme/app:1.0`,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('::error title=Source image not found::');
    expect(result.stdout).toContain(
      `source "${registry.host}/acme/app:1.0-amd64": ${registry.host}/acme/app has no tag 1.0-amd64; ` +
        'check the tag was pushed',
    );
  });
});
