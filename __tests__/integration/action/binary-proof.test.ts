// The binary proof end to end: `node dist/index.js` against a real registry, on images the test builds from
// Debian's static busybox (testkit/busybox.ts; scripts/fetch-busybox.sh fetches them). Correct images of eight
// platforms publish; each incident replayed is refused naming the file, and the target holds nothing new.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCipheriv } from 'node:crypto';
import { BUSYBOX_PLATFORMS, busybox, busyboxUserland, type DebianArch } from '../../../testkit/busybox.js';
import { dir, file, seedLayeredImage, type LayeredImageSpec } from '../../../testkit/layered-image.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';
import { skopeoInspect } from '../../../testkit/skopeo.js';

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

const DESCRIBED: Record<DebianArch, string> = {
  amd64: 'x86-64 ELF',
  arm64: 'aarch64 ELF',
  armhf: 'ARMv7 ELF',
  armel: 'ARMv5TE ELF',
  i386: 'i386 ELF',
  ppc64el: 'ppc64le ELF',
  s390x: 's390x ELF',
  riscv64: 'riscv64 ELF',
};

describe('binary proof, end to end', () => {
  it('publishes eight correct platforms, the summary saying what proved each', async () => {
    const arches = Object.keys(BUSYBOX_PLATFORMS) as DebianArch[];
    for (const [index, arch] of arches.entries()) {
      await seedLayeredImage(raw, 'proof/good', arch, {
        platform: BUSYBOX_PLATFORMS[arch],
        run: { Entrypoint: ['/bin/sh', '-c'], Cmd: ['echo $(uname -m)'] },
        // gzip, zstd and plain layers in turn.
        layers: [{ ...busyboxUserland(arch), compression: (['gzip', 'zstd', 'none'] as const)[index % 3] }],
      });
    }
    const run = await runAction({
      sources: arches.map((arch) => ref('proof/good', arch)).join('\n'),
      tags: ref('proof/good', '1.0'),
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toMatch(/::(error|warning|notice)/);
    expect(run.outputs.platforms).toBe(
      'linux/amd64,linux/arm64,linux/arm/v7,linux/arm/v5,linux/386,linux/ppc64le,linux/s390x,linux/riscv64',
    );
    for (const arch of arches) {
      expect(run.summary).toContain(
        `config + /bin/sh &#8594; /bin/busybox: ${DESCRIBED[arch]}, 1 executable sampled<`,
      );
    }
    // skopeo, as an independent client, gets each platform's image from the index.
    for (const platform of ['linux/riscv64', 'linux/s390x']) {
      const [os, architecture] = platform.split('/');
      expect(await skopeoInspect(ref('proof/good', '1.0'), platform)).toMatchObject({
        Os: os,
        Architecture: architecture,
      });
    }
  });

  const arm64 = BUSYBOX_PLATFORMS.arm64;
  it.each<[string, LayeredImageSpec, RegExp]>([
    [
      'an x86-64 static binary as the linux/arm64 entrypoint (nvidia_gpu_exporter 1.5.0)',
      {
        platform: arm64,
        run: { Entrypoint: ['/usr/local/bin/exporter'] },
        layers: [
          busyboxUserland('arm64'),
          {
            entries: [
              dir('usr/local'),
              dir('usr/local/bin'),
              file('usr/local/bin/exporter', busybox('amd64')),
            ],
          },
        ],
      },
      /\/usr\/local\/bin\/exporter \(the program the image runs\) is an x86-64 ELF, but the config says linux\/arm64/,
    ],
    [
      'a linux/arm64 image on an amd64 userland with the right entrypoint (atmos)',
      {
        platform: arm64,
        run: { Entrypoint: ['/usr/local/bin/atmos'] },
        layers: [
          busyboxUserland('amd64'),
          {
            entries: [dir('usr/local'), dir('usr/local/bin'), file('usr/local/bin/atmos', busybox('arm64'))],
          },
        ],
      },
      /\/bin\/busybox \(1 of 2 sampled executables are for another platform\) is an x86-64 ELF, but the config says linux\/arm64/,
    ],
    [
      'an arm64 binary in the linux/amd64 image (minideb)',
      { platform: BUSYBOX_PLATFORMS.amd64, run: { Cmd: ['sh'] }, layers: [busyboxUserland('arm64')] },
      /sh → \/bin\/busybox \(the program the image runs\) is an aarch64 ELF, but the config says linux\/amd64/,
    ],
    [
      'an ARMv7 userland in the linux/arm/v6 image',
      {
        platform: { os: 'linux', architecture: 'arm', variant: 'v6' },
        run: { Cmd: ['sh'] },
        layers: [busyboxUserland('armhf')],
      },
      /sh → \/bin\/busybox \(the program the image runs\) is an ARMv7 ELF, but the config says linux\/arm\/v6/,
    ],
  ])('refuses %s, naming the file, and writes nothing', async (_label, spec, message) => {
    const source = await seedLayeredImage(raw, 'proof/incident', 'src', spec);
    const run = await runAction({ sources: ref('proof/incident', 'src'), tags: ref('proof/release', '1.0') });
    expect(run.exitCode).not.toBe(0);
    const annotation = run.stdout.split('\n').find((line) => line.startsWith('::error'));
    expect(annotation).toMatch(/^::error title=Binary for another platform::failed to prove /);
    expect(annotation).toMatch(message);
    expect(annotation).toContain('Nothing was written.');
    expect(run.summary).toContain('Binary for another platform');
    expect(await raw.listTags('proof/release')).toEqual([]);
    for (const digest of [source.configDigest, ...source.layerDigests]) {
      expect(await raw.hasBlob('proof/release', digest)).toBe(false);
    }
  });

  it('stops reading a layer once the program is resolved and the sample taken, and the run goes on', async () => {
    // Five programs on PATH, then 50 MB of incompressible data the proof has no need to read.
    const data = createCipheriv('aes-256-ctr', Buffer.alloc(32, 3), Buffer.alloc(16)).update(
      Buffer.alloc(50e6),
    );
    const applets = ['ls', 'cat', 'env', 'echo', 'uname'].map((name) =>
      file(`bin/${name}`, busybox('arm64')),
    );
    await seedLayeredImage(raw, 'proof/early', 'src', {
      platform: arm64,
      // A path, not a bare name: a bare name is known only once every earlier PATH directory is known not to have it.
      run: { Cmd: ['/bin/ls'] },
      layers: [{ entries: [dir('bin'), ...applets, file('data.bin', data, 0o644)] }],
    });
    const run = await runAction(
      { sources: ref('proof/early', 'src'), tags: ref('proof/early', '1.0') },
      { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' },
    );
    expect(run.exitCode).toBe(0);
    const read =
      /binary proof read (\d+) bytes of layers: config \+ \/bin\/ls: aarch64 ELF, 4 executables sampled/.exec(
        run.stdout,
      );
    expect(Number(read?.[1])).toBeLessThan(20e6);
  });

  it('refuses in verify mode (push: false, no tags) as well', async () => {
    await seedLayeredImage(raw, 'proof/verify', 'src', {
      platform: BUSYBOX_PLATFORMS.amd64,
      run: { Cmd: ['sh'] },
      layers: [busyboxUserland('s390x')],
    });
    const run = await runAction({ sources: ref('proof/verify', 'src'), push: 'false' });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(
      /::error title=Binary for another platform::.*is an s390x ELF, but the config says linux\/amd64/,
    );
  });

  it('publishes with prove: config, and with binaries says what it could not check as a notice', async () => {
    await seedLayeredImage(raw, 'proof/data', 'src', {
      platform: BUSYBOX_PLATFORMS.s390x,
      layers: [{ entries: [file('data.txt', 'no program here\n', 0o644)] }],
    });
    const run = await runAction({ sources: ref('proof/data', 'src'), tags: ref('proof/data', '1.0') });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(
      /::notice::linux\/s390x of .*: no executable found in the layers read; only its config proves its platform/,
    );
    // An image the binary proof refuses (amd64 config, arm64 programs) publishes when only its config is proven.
    await seedLayeredImage(raw, 'proof/config', 'src', {
      platform: BUSYBOX_PLATFORMS.amd64,
      run: { Cmd: ['sh'] },
      layers: [busyboxUserland('arm64')],
    });
    const config = await runAction({
      sources: ref('proof/config', 'src'),
      tags: ref('proof/config', '1.0'),
      prove: 'config',
    });
    expect(config.exitCode).toBe(0);
    expect(config.summary).toContain('&#10003;&#160;config</td>');
  });
});
