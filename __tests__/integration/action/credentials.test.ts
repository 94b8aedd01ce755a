// Sources on one registry (htpasswd, credentials from docker login's config file), targets on another
// (token auth, credentials from the inputs), through the bundled action.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Digest } from '../../../testkit/digest.js';
import { seedImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';

let sourceRegistry: TestRegistry;
let targetRegistry: TestRegistry;
let source: RawRegistry;
let target: RawRegistry;
let dockerConfig: string;

beforeAll(async () => {
  [sourceRegistry, targetRegistry] = await Promise.all([
    startRegistry({ auth: 'htpasswd' }),
    startRegistry({ auth: 'token' }),
  ]);
  source = new RawRegistry(sourceRegistry);
  target = new RawRegistry(targetRegistry);
  // What docker/login-action leaves behind for the source registry.
  dockerConfig = await mkdtemp(join(tmpdir(), 'multiarch-publish-docker-config-'));
  const auth = Buffer.from(`${sourceRegistry.username}:${sourceRegistry.password}`).toString('base64');
  await writeFile(
    join(dockerConfig, 'config.json'),
    JSON.stringify({ auths: { [sourceRegistry.host]: { auth } } }),
  );
});

afterAll(async () => {
  await Promise.all([sourceRegistry.stop(), targetRegistry.stop()]);
  await rm(dockerConfig, { recursive: true, force: true });
});

const manifestsOf = (bytes: Uint8Array): Array<{ digest: string }> =>
  JSON.parse(new TextDecoder().decode(bytes)).manifests;

describe('sources elsewhere', () => {
  it('copies children from another registry and mounts them from another repository, then tags', async () => {
    const amd = await seedImage(source, {
      repo: 'builds/app',
      tag: 'amd64',
      architecture: 'amd64',
      format: 'docker',
    });
    const arm = await seedImage(target, {
      repo: 'builds/app',
      tag: 'arm64',
      architecture: 'arm64',
      format: 'docker',
    });
    const run = await runAction(
      {
        sources: `${sourceRegistry.host}/builds/app:amd64\n${targetRegistry.host}/builds/app:arm64`,
        tags: `${targetRegistry.host}/release/app:1.0`,
        username: targetRegistry.username!,
        password: targetRegistry.password!,
      },
      { DOCKER_CONFIG: dockerConfig },
    );
    expect(run.stdout).not.toContain('::error');
    expect(run.exitCode).toBe(0);
    expect(run.outputs['media-type']).toBe('application/vnd.docker.distribution.manifest.list.v2+json');

    const served = await target.getManifest('release/app', '1.0');
    expect(sha256Digest(served.bytes)).toBe(run.outputs.digest);
    expect(manifestsOf(served.bytes).map((m) => m.digest)).toEqual([amd.digest, arm.digest]);
    for (const image of [amd, arm]) {
      expect(await target.hasManifest('release/app', image.digest)).toBe(true);
      for (const blob of [image.configDigest, ...image.layerDigests]) {
        expect(await target.hasBlob('release/app', blob)).toBe(true);
      }
    }
    expect(run.summary).toContain('2 mounted');
    expect(run.summary).toContain('2 copied');
    // The secrets were masked before anything could print them.
    expect(run.stdout).toContain(`::add-mask::${targetRegistry.password}`);
    expect(run.stdout.split(`::add-mask::${targetRegistry.password}`).join('')).not.toContain(
      targetRegistry.password,
    );
  });

  it('fails with a clear message and writes nothing when the target registry gets no credentials', async () => {
    await seedImage(target, { repo: 'builds/anon', tag: 'amd64', architecture: 'amd64' });
    const run = await runAction({
      sources: `${targetRegistry.host}/builds/anon:amd64`,
      tags: `${targetRegistry.host}/release/anon:1.0`,
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(/::error title=[^:]+::.*401/);
    expect(run.stdout).toMatch(/no credentials|anonymous/i);
    expect(run.stdout).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(run.outputs).toEqual({});
    expect(await target.listTags('release/anon')).toEqual([]);
  });
});
