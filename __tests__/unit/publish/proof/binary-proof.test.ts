// The binary proof through the use case: images built from Debian's static busybox (testkit/busybox.ts) in an
// in-memory registry, published or refused; what the user sees is the error, the notices and the Proven text.
import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { parseSource } from '../../../../src/action/inputs/sources.js';
import { isContentNotFound } from '../../../../src/oci/content-failure.js';
import { parseReference, type RepositoryName } from '../../../../src/oci/reference.js';
import { BinaryPlatformError, LayerReadError } from '../../../../src/publish/proof/binary-proof-errors.js';
import { publish } from '../../../../src/publish/publish.js';
import type { PublishRequest } from '../../../../src/publish/request.js';
import type { PublishResult } from '../../../../src/publish/result.js';
import { BUSYBOX_PLATFORMS, busybox, busyboxUserland, type DebianArch } from '../../../../testkit/busybox.js';
import {
  dir,
  file,
  hardlink,
  opaque,
  symlink,
  whiteout,
  type LayerSpec,
  type LayeredImageSpec,
  type RunSpec,
} from '../../../../testkit/layered-image.js';
import type { SeededPlatform } from '../../../../testkit/images.js';
import { tarOf } from '../../../../testkit/tar.js';
import { PE_MACHINES, peHeader } from '../../../../testkit/pe.js';
import { layeredImageParts, layeredManifest } from '../../../../testkit/layered-image.js';
import { MEDIA_TYPES } from '../../../../testkit/media-types.js';
import { recordingLogger, type RecordingLogger } from '../../../support/loggers.js';
import { memoryLayeredImage } from '../../../support/memory-images.js';
import { MemoryRegistry } from '../../../support/memory-registry.js';
import { publishRequest } from '../../../support/publish-request.js';

const SOURCE: RepositoryName = parseReference('registry.test/acme/build');
const TARGET = 'registry.test/acme/app:1.0';

const platformOf = (arch: DebianArch): SeededPlatform => BUSYBOX_PLATFORMS[arch];

interface Outcome {
  result?: PublishResult;
  error?: Error;
  logger: RecordingLogger;
  reg: MemoryRegistry;
}

async function run(spec: LayeredImageSpec, extra: Partial<PublishRequest> = {}): Promise<Outcome> {
  const reg = new MemoryRegistry();
  memoryLayeredImage(reg, SOURCE, 'src', spec);
  const logger = recordingLogger();
  const request = publishRequest({
    sources: [parseSource('registry.test/acme/build:src')],
    targets: [parseReference(TARGET)],
    ...extra,
  });
  try {
    return { result: await publish(request, reg, logger), logger, reg };
  } catch (error) {
    return { error: error as Error, logger, reg };
  }
}

const proven = (outcome: Outcome): string | undefined => outcome.result?.children[0]?.proven;

describe('binary proof: incidents replayed are refused, naming the file, and nothing is written', () => {
  it.each<[string, LayeredImageSpec, RegExp]>([
    [
      'an x86-64 static binary as the entrypoint of the linux/arm64 image (nvidia_gpu_exporter 1.5.0)',
      {
        platform: platformOf('arm64'),
        run: { Entrypoint: ['/usr/bin/nvidia_gpu_exporter'] },
        layers: [
          busyboxUserland('arm64'),
          { entries: [file('usr/bin/nvidia_gpu_exporter', busybox('amd64'))] },
        ],
      },
      /linux\/arm64 of registry.test\/acme\/build:src \(sha256:[0-9a-f]{64}\): \/usr\/bin\/nvidia_gpu_exporter \(the program the image runs\) is an x86-64 ELF, but the config says linux\/arm64$/,
    ],
    [
      'a linux/arm64 image whose whole base userland is amd64, the entrypoint right (atmos)',
      {
        platform: platformOf('arm64'),
        run: { Entrypoint: ['/usr/local/bin/atmos'] },
        layers: [busyboxUserland('amd64'), { entries: [file('usr/local/bin/atmos', busybox('arm64'))] }],
      },
      /\/bin\/busybox \(1 of 2 sampled executables are for another platform\) is an x86-64 ELF, but the config says linux\/arm64$/,
    ],
    [
      'an arm64 binary in the linux/amd64 image (minideb)',
      { platform: platformOf('amd64'), run: { Cmd: ['sh'] }, layers: [busyboxUserland('arm64')] },
      /: sh → \/bin\/busybox \(the program the image runs\) is an aarch64 ELF, but the config says linux\/amd64$/,
    ],
    [
      'an amd64 operator binary started through a shell form in the linux/arm64 image (restart-operator)',
      {
        platform: platformOf('arm64'),
        run: { Cmd: ['/bin/sh', '-c', 'exec manager --leader-elect'] },
        layers: [
          busyboxUserland('arm64'),
          {
            entries: [
              dir('usr/local'),
              dir('usr/local/bin'),
              file('usr/local/bin/manager', busybox('amd64')),
            ],
          },
        ],
      },
      /: manager → \/usr\/local\/bin\/manager \(the command its shell runs\) is an x86-64 ELF, but the config says linux\/arm64$/,
    ],
    [
      'an x86-64 program behind a #!/usr/bin/env script in the linux/arm64 image (numaflow-go)',
      {
        platform: platformOf('arm64'),
        run: { Entrypoint: ['/entrypoint.sh'] },
        layers: [
          busyboxUserland('arm64'),
          {
            entries: [
              file('entrypoint.sh', '#!/usr/bin/env udf\nexec udf "$@"\n'),
              dir('usr/local'),
              dir('usr/local/bin'),
              file('usr/local/bin/udf', busybox('amd64')),
            ],
            compression: 'zstd',
          },
        ],
      },
      /: \/entrypoint.sh → \/usr\/bin\/env → udf → \/usr\/local\/bin\/udf \(the program the image runs\) is an x86-64 ELF, but the config says linux\/arm64$/,
    ],
    [
      'an ARMv7 program in the linux/arm/v6 image',
      {
        platform: { os: 'linux', architecture: 'arm', variant: 'v6' },
        run: { Entrypoint: ['/bin/sh'] },
        layers: [busyboxUserland('armhf')],
      },
      /: \/bin\/sh → \/bin\/busybox \(the program the image runs\) is an ARMv7 ELF, but the config says linux\/arm\/v6$/,
    ],
  ])('%s', async (_label, spec, message) => {
    const outcome = await run(spec);
    expect(outcome.error).toBeInstanceOf(BinaryPlatformError);
    expect(outcome.error?.message).toMatch(message);
    expect(outcome.reg.writes).toEqual([]);
  });

  it('refuses in verify mode too (push: false, no tags): published images get the same proof', async () => {
    const outcome = await run(
      { platform: platformOf('amd64'), run: { Cmd: ['sh'] }, layers: [busyboxUserland('arm64')] },
      { targets: [], push: false },
    );
    expect(outcome.error).toBeInstanceOf(BinaryPlatformError);
  });
});

describe('binary proof: layer cases', () => {
  const arm64 = platformOf('arm64');
  it.each<[string, LayerSpec[], RunSpec, string]>([
    [
      'an upper layer whiting out a wrong binary below',
      [busyboxUserland('arm64', [file('bin/tool', busybox('amd64'))]), { entries: [whiteout('bin/tool')] }],
      { Entrypoint: ['/bin/sh'] },
      'config + /bin/sh → /bin/busybox: aarch64 ELF, 1 executable sampled',
    ],
    [
      'an opaque directory hiding a wrong userland below',
      [
        busyboxUserland('amd64'),
        { entries: [opaque('bin'), file('bin/busybox', busybox('arm64')), symlink('bin/sh', 'busybox')] },
      ],
      { Entrypoint: ['/bin/sh'] },
      'config + /bin/sh → /bin/busybox: aarch64 ELF, 1 executable sampled',
    ],
    [
      'symlinks absolute and relative across layers, and a hard link',
      [
        busyboxUserland('arm64'),
        {
          entries: [dir('opt'), dir('opt/app-2'), hardlink('opt/app-2/run', 'bin/busybox')],
          compression: 'none',
        },
        {
          entries: [symlink('opt/current', '/opt/app-2'), symlink('app', 'opt/current/run')],
          compression: 'zstd',
        },
      ],
      { Entrypoint: ['/app'] },
      'config + /app → /opt/app-2/run: aarch64 ELF, 1 executable sampled',
    ],
    [
      'a shell form whose command is a shell builtin',
      [busyboxUserland('arm64')],
      { Cmd: ['/bin/sh', '-c', 'echo hello && cd /'] },
      'config + /bin/sh → /bin/busybox: aarch64 ELF, 1 executable sampled',
    ],
    [
      'a bare name on the config PATH, through the usr-merge symlink',
      [busyboxUserland('arm64')],
      { Cmd: ['cat', '/etc/os-release'], Env: ['PATH=/usr/bin:/bin'] },
      'config + cat → /bin/busybox: aarch64 ELF, 1 executable sampled',
    ],
  ])('%s', async (_label, layers, runSpec, expected) => {
    const outcome = await run({ platform: arm64, run: runSpec, layers });
    expect(outcome.error).toBeUndefined();
    expect(proven(outcome)).toBe(expected);
    expect(outcome.logger.notices).toEqual([]);
  });
});

describe('binary proof: what it cannot check is a notice, never a silent pass', () => {
  it('passes an image with no executable, saying so', async () => {
    const outcome = await run({
      platform: platformOf('s390x'),
      layers: [{ entries: [file('data.txt', 'x', 0o644)] }],
    });
    expect(proven(outcome)).toBe('config');
    expect(outcome.logger.notices).toEqual([
      expect.stringMatching(
        /^linux\/s390x of .*: no executable found in the layers read; only its config proves its platform$/,
      ),
    ]);
  });

  it('stops at the budget, saying what it had checked', async () => {
    const outcome = await run(
      {
        platform: platformOf('riscv64'),
        run: { Entrypoint: ['/bin/sh'] },
        layers: [
          busyboxUserland('riscv64'),
          { entries: [file('big.bin', Buffer.alloc(4 << 20, 7), 0o644)], compression: 'none' },
        ],
      },
      { proveBudget: 1 << 20 },
    );
    expect(outcome.error).toBeUndefined();
    expect(proven(outcome)).toBe('config (budget spent)');
    expect(outcome.logger.notices).toEqual([
      expect.stringContaining(
        'the binary proof stopped at its budget of 1.0 MB read per platform, before it found a program to check',
      ),
    ]);
  });

  it('names a program it cannot find', async () => {
    const outcome = await run({
      platform: platformOf('arm64'),
      run: { Entrypoint: ['/app'] },
      layers: [busyboxUserland('arm64')],
    });
    expect(proven(outcome)).toBe('config + 1 executable sampled');
    expect(outcome.logger.notices).toEqual([
      expect.stringContaining('the program the image runs is not there: /app does not exist'),
    ]);
  });

  it('reads nothing of the layers with prove: config', async () => {
    const outcome = await run(
      { platform: platformOf('amd64'), run: { Cmd: ['sh'] }, layers: [busyboxUserland('arm64')] },
      { prove: 'config' },
    );
    expect(outcome.error).toBeUndefined();
    expect(proven(outcome)).toBe('config');
  });

  it.each([
    [
      'a gzip stream of something else',
      gzipSync(Buffer.from('not a tar')),
      /the archive ends 9 bytes into a header at byte 0/,
    ],
    [
      'gzip data cut short',
      gzipSync(tarOf([file('app', busybox('amd64'))])).subarray(0, 100_000),
      /unexpected end of file/,
    ],
  ])('refuses a layer that is %s, naming the layer', async (_label, stored, cause) => {
    const outcome = await run({ platform: platformOf('amd64'), layers: [{ entries: [], stored }] });
    expect(outcome.error).toBeInstanceOf(LayerReadError);
    expect(outcome.error?.message).toMatch(
      /^failed to read layer sha256:[0-9a-f]{64} of linux\/amd64 of registry.test\/acme\/build:src \(sha256:[0-9a-f]{64}\): /,
    );
    expect(outcome.error?.message).toMatch(cause);
    expect(outcome.reg.writes).toEqual([]);
  });
});

describe('binary proof: a layer the source lacks', () => {
  it('fails with what the source said (not found), not as an unreadable layer', async () => {
    const reg = new MemoryRegistry();
    const parts = layeredImageParts({ platform: platformOf('arm64'), layers: [busyboxUserland('arm64')] });
    const config = reg.blob(SOURCE, MEDIA_TYPES.ociConfig, parts.config);
    const missing = { digest: `sha256:${'e'.repeat(64)}`, size: 100 };
    reg.manifest(SOURCE, MEDIA_TYPES.ociManifest, layeredManifest(parts, config, [missing]), 'src');
    const error = await publish(
      publishRequest({
        sources: [parseSource('registry.test/acme/build:src')],
        targets: [parseReference(TARGET)],
      }),
      reg,
      recordingLogger(),
    ).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(LayerReadError);
    expect(isContentNotFound(error)).toBe(true);
    expect(reg.writes).toEqual([]);
  });
});

describe('binary proof: Windows images and foreign layers', () => {
  const windowsLayer = (machine: number): LayerSpec => ({
    entries: [
      dir('Files'),
      dir('Files/Windows'),
      dir('Files/Windows/System32'),
      file('Files/Windows/System32/cmd.exe', peHeader(machine), 0o644),
      dir('Hives'),
      file('Hives/Software_Delta', 'registry hive', 0o644),
    ],
  });
  const windows = { os: 'windows', architecture: 'amd64', osVersion: '10.0.20348.2461' };

  it('finds the program on the Windows PATH, case-insensitively, and reads its PE machine', async () => {
    const outcome = await run({
      platform: windows,
      run: { Entrypoint: ['cmd', '/S', '/C'] },
      layers: [windowsLayer(PE_MACHINES.amd64)],
    });
    expect(outcome.error).toBeUndefined();
    expect(proven(outcome)).toBe('config + cmd → /windows/system32/cmd.exe: x86-64 PE, 1 executable sampled');
  });

  it('refuses an ARM64 program in a windows/amd64 image', async () => {
    const outcome = await run({
      platform: windows,
      run: { Cmd: ['C:\\Windows\\System32\\cmd.exe'] },
      layers: [windowsLayer(PE_MACHINES.arm64)],
    });
    expect(outcome.error).toBeInstanceOf(BinaryPlatformError);
    expect(outcome.error?.message).toMatch(
      /cmd.exe → \/windows\/system32\/cmd.exe \(the program the image runs\) is an ARM64 PE, but the config says windows\/amd64$/,
    );
  });

  it('never fetches a foreign base layer, and names it in a notice', async () => {
    const reg = new MemoryRegistry();
    const parts = layeredImageParts({
      platform: windows,
      run: { Entrypoint: ['cmd'] },
      layers: [windowsLayer(PE_MACHINES.amd64)],
    });
    const config = reg.blob(SOURCE, MEDIA_TYPES.ociConfig, parts.config);
    const layers = parts.layers.map((layer) => reg.blob(SOURCE, layer.mediaType, layer.bytes));
    const foreign = {
      mediaType: MEDIA_TYPES.dockerForeignLayerGzip,
      digest: `sha256:${'f'.repeat(64)}`,
      size: 1000,
      urls: ['https://mcr.microsoft.com/v2/windows/servercore/blobs/sha256:ffff'],
    };
    const manifest = layeredManifest(parts, config, layers) as { layers: object[] };
    reg.manifest(
      SOURCE,
      MEDIA_TYPES.ociManifest,
      { ...manifest, layers: [foreign, ...manifest.layers] },
      'src',
    );
    const logger = recordingLogger();
    const result = await publish(
      // A dry run: the in-memory registry, like a real one without the foreign blob, takes no such manifest.
      publishRequest({
        sources: [parseSource('registry.test/acme/build:src')],
        targets: [parseReference(TARGET)],
        push: false,
      }),
      reg,
      logger,
    );
    expect(result.children[0]?.proven).toBe(
      'config + cmd → /windows/system32/cmd.exe: x86-64 PE, 1 executable sampled',
    );
    expect(logger.notices).toEqual([
      expect.stringMatching(
        /: layers the action may not read were not checked \(foreign or non-distributable\): sha256:f{64}$/,
      ),
    ]);
  });
});
