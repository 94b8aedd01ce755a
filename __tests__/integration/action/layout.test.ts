// oci-layout sources through the bundled action: per-arch builds exported as OCI layouts (written
// here by skopeo, as an independent producer) are published without being pushed first.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sha256Digest } from '../../../testkit/digest.js';
import { helloExecutable } from '../../../testkit/elf.js';
import { seedBuildxIndex, seedImage, type SeededImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';
import { pullAndRun } from '../../../testkit/skopeo.js';

const run = promisify(execFile);

let build: TestRegistry;
let release: TestRegistry;
let dir: string;
let amd64: SeededImage;
let arm64: { image: SeededImage; attestation: SeededImage };

/** `skopeo copy` from the build registry into an OCI layout directory or tar, as a build would export it. */
async function exportLayout(reference: string, destination: string): Promise<void> {
  await run(
    'skopeo',
    ['copy', '--all', '--src-tls-verify=false', `docker://${build.host}/${reference}`, destination],
    {
      timeout: 60_000,
    },
  );
}

beforeAll(async () => {
  [build, release] = await Promise.all([startRegistry(), startRegistry()]);
  dir = await mkdtemp(join(tmpdir(), 'multiarch-publish-layouts-'));
  const raw = new RawRegistry(build);
  amd64 = await seedImage(raw, {
    repo: 'build/app',
    tag: 'amd64',
    architecture: 'amd64',
    executable: helloExecutable('amd64', 'linux/amd64\n'),
  });
  const buildx = await seedBuildxIndex(raw, {
    repo: 'build/app',
    tag: 'arm64',
    images: [{ architecture: 'arm64' }],
  });
  arm64 = { image: buildx.children[0]!, attestation: buildx.attestations[0]! };
  await exportLayout('build/app:amd64', `oci:${join(dir, 'amd64')}:amd64`);
  await exportLayout('build/app:arm64', `oci-archive:${join(dir, 'arm64.tar')}:arm64`);
});

afterAll(async () => {
  await Promise.all([build.stop(), release.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe('oci-layout sources', () => {
  it('publishes a layout directory and a layout tar to a registry that has never seen them', async () => {
    const result = await runAction({
      sources: `oci-layout:${join(dir, 'amd64')}\nlinux/arm64=oci-layout:${join(dir, 'arm64.tar')}`,
      tags: `${release.host}/release/app:1.0`,
      platforms: 'linux/amd64,linux/arm64',
    });
    expect(result.stdout).not.toContain('::error');
    expect(result.exitCode).toBe(0);
    expect(result.outputs.platforms).toBe('linux/amd64,linux/arm64');

    const raw = new RawRegistry(release);
    const served = await raw.getManifest('release/app', '1.0');
    expect(sha256Digest(served.bytes)).toBe(result.outputs.digest);
    const entries = JSON.parse(new TextDecoder().decode(served.bytes)).manifests as Array<{ digest: string }>;
    expect(entries.map((entry) => entry.digest)).toEqual([
      amd64.digest,
      arm64.image.digest,
      arm64.attestation.digest,
    ]);
    for (const image of [amd64, arm64.image, arm64.attestation]) {
      expect(await raw.hasManifest('release/app', image.digest)).toBe(true);
      for (const blob of [image.configDigest, ...image.layerDigests]) {
        expect(await raw.hasBlob('release/app', blob)).toBe(true);
      }
    }
    expect(await pullAndRun(`${release.host}/release/app:1.0`, 'linux/amd64')).toEqual({
      digest: amd64.digest,
      output: 'linux/amd64\n',
    });
  });

  it('refuses a layout whose image is not the declared platform, and writes nothing', async () => {
    const result = await runAction({
      sources: `linux/s390x=oci-layout:${join(dir, 'amd64')}`,
      tags: `${release.host}/release/wrong:1.0`,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toMatch(
      /declared linux\/s390x but that layout has no such image; it has linux\/amd64/,
    );
    expect(await new RawRegistry(release).listTags('release/wrong')).toEqual([]);
  });

  it('names the path when it is not an OCI layout', async () => {
    const result = await runAction({
      sources: `oci-layout:${join(dir, 'missing')}`,
      tags: `${release.host}/x/y:1`,
    });
    expect(result.exitCode).not.toBe(0);
    const annotation = result.stdout.split('\n').find((line) => line.startsWith('::error'));
    expect(annotation).toMatch(/^::error title=Invalid OCI layout::/);
    expect(annotation).toContain(`oci-layout:${join(dir, 'missing')}`);
  });
});
