import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Step } from '../measured-run.js';
import { BUILDX_PLUGIN_DIR, fetchBuildx } from './fetch-buildx.js';
import { probeVersion, type Tool } from './tool.js';

const DOCKER_INSTALL = 'apt-get install docker.io (or docker-cli on Debian trixie)';

/** A private DOCKER_CONFIG in the run's folder: no login, no stored manifest lists, buildx found as a plugin. */
async function dockerConfig(dir: string): Promise<NodeJS.ProcessEnv> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify({ cliPluginsExtraDirs: [BUILDX_PLUGIN_DIR] }));
  return { PATH: process.env.PATH ?? '', HOME: dir, DOCKER_CONFIG: dir };
}

export const buildxTool: Tool = {
  name: 'buildx imagetools',
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
  async steps({ sources, tags, workDir }) {
    const env = await dockerConfig(join(workDir, 'docker'));
    const args = ['buildx', 'imagetools', 'create', ...tags.flatMap((tag) => ['-t', tag]), ...sources];
    return [{ command: 'docker', args, env }];
  },
};

/** `docker manifest` takes one target per list: create and push once per tag. */
export const dockerManifestTool: Tool = {
  name: 'docker manifest',
  probe: () => probeVersion('docker', ['--version'], DOCKER_INSTALL),
  async steps({ sources, tags, workDir }) {
    const env = await dockerConfig(join(workDir, 'docker'));
    return tags.flatMap((tag): Step[] => [
      { command: 'docker', args: ['manifest', 'create', '--insecure', tag, ...sources], env },
      { command: 'docker', args: ['manifest', 'push', '--insecure', tag], env },
    ]);
  },
};
