// skopeo as an independent client: which image does a given platform get from a reference?
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SkopeoImage {
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
