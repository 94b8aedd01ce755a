import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Step } from '../measured-run.js';
import { BUILDX_PLUGIN_DIR, fetchBuildx } from './fetch-buildx.js';
import { dockerAuths, probeVersion, type PublishJob, type Tool } from './tool.js';

const DOCKER_INSTALL = 'apt-get install docker.io (or docker-cli on Debian trixie)';

/**
 * A private DOCKER_CONFIG in the run's folder: the job's logins, no stored manifest lists, buildx found as a
 * plugin; over HTTPS, Go's TLS trusts the bench's CA through SSL_CERT_FILE.
 */
async function dockerConfig(dir: string, job?: PublishJob): Promise<NodeJS.ProcessEnv> {
  await mkdir(dir, { recursive: true });
  const auths = job === undefined ? {} : dockerAuths(job);
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({ cliPluginsExtraDirs: [BUILDX_PLUGIN_DIR], auths }),
  );
  const ca = job?.tls === undefined ? {} : { SSL_CERT_FILE: job.tls.caPath };
  return { PATH: process.env.PATH ?? '', HOME: dir, DOCKER_CONFIG: dir, ...ca };
}

export const buildxTool: Tool = {
  name: 'buildx imagetools',
  // containerd, under buildx, speaks plain HTTP to every loopback registry, and the bench binds only to loopback:
  // timing it over HTTPS needs a registry on a test host in a network namespace, which the bench has not yet.
  plainOnly: true,
  async probe() {
    const docker = await probeVersion('docker', ['--version'], DOCKER_INSTALL);
    if (!docker.ok) return docker;
    try {
      await fetchBuildx();
    } catch (error) {
      return { ok: false, reason: String(error), install: 'apt-get download docker-buildx (Debian trixie)' };
    }
    const env = await dockerConfig(join(BUILDX_PLUGIN_DIR, '..', 'probe-config'));
    return probeVersion('docker', ['buildx', 'version'], 'the bench fetches it; see bench/README.md', env);
  },
  async steps(job) {
    const { sources, tags, workDir } = job;
    const env = await dockerConfig(join(workDir, 'docker'), job);
    const args = ['buildx', 'imagetools', 'create', ...tags.flatMap((tag) => ['-t', tag]), ...sources];
    return [{ command: 'docker', args, env }];
  },
};

/** `docker manifest` takes one target per list: create and push once per tag. */
export const dockerManifestTool: Tool = {
  name: 'docker manifest',
  plainOnly: true,
  probe: () => probeVersion('docker', ['--version'], DOCKER_INSTALL),
  async steps({ sources, tags, workDir }) {
    const env = await dockerConfig(join(workDir, 'docker'));
    return tags.flatMap((tag): Step[] => [
      { command: 'docker', args: ['manifest', 'create', '--insecure', tag, ...sources], env },
      { command: 'docker', args: ['manifest', 'push', '--insecure', tag], env },
    ]);
  },
};
