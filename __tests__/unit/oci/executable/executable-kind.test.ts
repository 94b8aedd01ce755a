import { describe, expect, it } from '@jest/globals';
import { describeKind, type ExecutableKind } from '../../../../src/oci/executable/executable-kind.js';
import { ExecutableProbe } from '../../../../src/oci/executable/probe.js';
import { runsOn } from '../../../../src/oci/executable/platform-binary.js';
import type { Platform } from '../../../../src/oci/platform.js';
import { BUSYBOX_PLATFORMS, busybox, type DebianArch } from '../../../../testkit/busybox.js';
import { helloExecutable } from '../../../../testkit/elf.js';
import { peHeader } from '../../../../testkit/pe.js';

/** What the probe says of `content`, fed in chunks of `chunk` bytes as a layer stream would. */
function probe(content: Uint8Array, chunk = 64 * 1024): ExecutableKind | undefined {
  const sink = new ExecutableProbe(content.byteLength);
  for (let at = 0; at < content.byteLength; at += chunk) sink.write(content.subarray(at, at + chunk), at);
  return sink.kind();
}

const ARCHES = Object.keys(BUSYBOX_PLATFORMS) as DebianArch[];

describe("Debian's static busybox, read as a layer stream", () => {
  it.each<[DebianArch, string]>([
    ['amd64', 'x86-64 ELF'],
    ['arm64', 'aarch64 ELF'],
    ['armhf', 'ARMv7 ELF'],
    ['armel', 'ARMv5TE ELF'],
    ['i386', 'i386 ELF'],
    ['ppc64el', 'ppc64le ELF'],
    ['s390x', 's390x ELF'],
    ['riscv64', 'riscv64 ELF'],
  ])('%s is a %s', (arch, described) => {
    const kind = probe(busybox(arch));
    expect(kind && describeKind(kind)).toBe(described);
  });

  it('reads the same in chunks of any size', () => {
    const content = busybox('armhf');
    for (const chunk of [1000, 4096, 65536, content.byteLength]) {
      expect(describeKind(probe(content, chunk) as ExecutableKind)).toBe('ARMv7 ELF');
    }
  });

  it.each(ARCHES)("the %s build runs on its own platform and on no other Debian architecture's", (arch) => {
    const kind = probe(busybox(arch)) as ExecutableKind;
    const verdicts = Object.fromEntries(
      ARCHES.map((other) => [other, runsOn(kind, BUSYBOX_PLATFORMS[other] as Platform)]),
    );
    const expected = Object.fromEntries(ARCHES.map((other) => [other, 'no']));
    expected[arch] = 'yes';
    // ARMv5 code runs on ARMv7; the reverse is what the variant check refuses.
    if (arch === 'armel') expected.armhf = 'yes';
    expect(verdicts).toEqual(expected);
  });

  it('tolerates the 32-bit companion of a 64-bit platform only when asked (a sampled tool, not the program)', () => {
    const i386 = probe(busybox('i386')) as ExecutableKind;
    const armhf = probe(busybox('armhf')) as ExecutableKind;
    expect(runsOn(i386, { os: 'linux', architecture: 'amd64' })).toBe('no');
    expect(runsOn(i386, { os: 'linux', architecture: 'amd64' }, true)).toBe('yes');
    expect(runsOn(armhf, { os: 'linux', architecture: 'arm64' }, true)).toBe('yes');
    expect(runsOn(i386, { os: 'linux', architecture: 'arm64' }, true)).toBe('no');
  });

  it('refuses ARMv7 code for linux/arm/v6 and accepts it for linux/arm without a variant', () => {
    const armhf = probe(busybox('armhf')) as ExecutableKind;
    expect(runsOn(armhf, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBe('no');
    expect(runsOn(armhf, { os: 'linux', architecture: 'arm' })).toBe('yes');
  });
});

describe('hand-made files', () => {
  const windows = (architecture: string): Platform => ({ os: 'windows', architecture });

  it.each<[string, Uint8Array, string | undefined]>([
    ['an x86-64 PE', peHeader(0x8664), 'x86-64 PE'],
    ['an ARM64 PE with its header far behind the DOS stub', peHeader(0xaa64, 0x3f0), 'ARM64 PE'],
    ['a PE whose header lies beyond the bytes read', peHeader(0x8664, 0x1000).subarray(0, 512), undefined],
    ['a script', Buffer.from('#!/bin/sh\necho hi\n'), 'script for /bin/sh'],
    ['a script for env', Buffer.from('#! /usr/bin/env -S python3 -u\n'), 'script for /usr/bin/env'],
    ['a truncated ELF header', busybox('amd64').subarray(0, 40), undefined],
    [
      'an ELF of an unknown class',
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 9, 1, ...new Array(60).fill(0)]),
      undefined,
    ],
    ['text', Buffer.from('hello\n'), undefined],
    ['an empty file', new Uint8Array(), undefined],
  ])('%s', (_label, content, described) => {
    const kind = probe(content);
    expect(kind && describeKind(kind)).toBe(described);
  });

  it('judges PE machines against Windows platforms, and ELF files never run there', () => {
    const amd64 = probe(peHeader(0x8664)) as ExecutableKind;
    expect(runsOn(amd64, windows('amd64'))).toBe('yes');
    expect(runsOn(amd64, windows('arm64'))).toBe('no');
    expect(runsOn(probe(busybox('amd64')) as ExecutableKind, windows('amd64'))).toBe('no');
    expect(runsOn(amd64, { os: 'linux', architecture: 'amd64' })).toBe('no');
  });

  it('reads the tiny hand-assembled ELFs of testkit/elf.ts, whose ARM one has no attributes', () => {
    const arm = probe(helloExecutable('arm', 'hi\n')) as ExecutableKind;
    expect(describeKind(arm)).toBe('32-bit ARM ELF');
    expect(runsOn(arm, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBe('yes');
  });

  it('says "unknown" for a platform whose binaries it does not know', () => {
    expect(runsOn(probe(busybox('amd64')) as ExecutableKind, { os: 'linux', architecture: 'wasm' })).toBe(
      'unknown',
    );
  });
});
