// skopeo as an independent client: which image does a given platform get from a reference, and
// does the program in it run there?
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { QEMU, type ElfArchitecture } from './elf.js';

const run = promisify(execFile);

export interface SkopeoImage {
  /** skopeo 1.9 reports the digest of the reference itself (the index), not of the resolved child. */
  Digest: string;
  Architecture: string;
  Os: string;
  Variant?: string;
}

/** `skopeo inspect` as a pull for `os/arch[/variant]` would resolve it (plain HTTP registry). */
export async function skopeoInspect(reference: string, platform: string): Promise<SkopeoImage> {
  const [os, arch, variant] = platform.split('/');
  const args = ['--override-os', os!, '--override-arch', arch!];
  if (variant) args.push('--override-variant', variant);
  const { stdout } = await run(
    'skopeo',
    [...args, 'inspect', '--tls-verify=false', `docker://${reference}`],
    {
      timeout: 60_000,
    },
  );
  return JSON.parse(stdout) as SkopeoImage;
}

export interface PulledImage {
  /** sha256 of the image manifest skopeo fetched for the platform (the child, not the index). */
  digest: string;
  /** What `/hello` in its layer printed when run. */
  output: string;
}

/**
 * Pulls what a `platform` host gets for `reference` with `skopeo copy`, takes `/hello` out of its single
 * layer and runs it (under qemu-user-static for foreign architectures).
 */
export async function pullAndRun(reference: string, platform: string): Promise<PulledImage> {
  const [os, arch, variant] = platform.split('/');
  const dir = await mkdtemp(join(tmpdir(), 'multiarch-publish-pull-'));
  try {
    const args = [
      '--override-os',
      os!,
      '--override-arch',
      arch!,
      ...(variant ? ['--override-variant', variant] : []),
    ];
    await run('skopeo', [...args, 'copy', '--src-tls-verify=false', `docker://${reference}`, `dir:${dir}`], {
      timeout: 60_000,
    });
    const manifestBytes = await readFile(join(dir, 'manifest.json'));
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { layers: Array<{ digest: string }> };
    const layer = gunzipSync(await readFile(join(dir, manifest.layers[0]!.digest.replace('sha256:', ''))));
    const size = parseInt(layer.subarray(124, 136).toString('ascii').replace(/\0.*$/, '').trim(), 8);
    const program = join(dir, 'hello');
    await writeFile(program, layer.subarray(512, 512 + size), { mode: 0o755 });
    const qemu = QEMU[arch as ElfArchitecture];
    const { stdout } = await run(qemu ?? program, qemu ? [program] : [], { timeout: 30_000 });
    return { digest: `sha256:${createHash('sha256').update(manifestBytes).digest('hex')}`, output: stdout };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
