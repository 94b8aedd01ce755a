import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Step } from '../measured-run.js';
import { BUILDX_PLUGIN_DIR, fetchBuildx } from './fetch-buildx.js';
import { dockerAuths, probeVersion, type PublishJob, type Tool } from './tool.js';

const DOCKER_INSTALL = 'apt-get install docker.io (or docker-cli on Debian trixie)';

/** The buildx builder whose registry settings the bench's HTTPS jobs use (see httpsBuilder). */
const HTTPS_BUILDER = 'bench-https';

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

/**
 * containerd, under buildx, speaks plain HTTP to every loopback registry unless the builder's BuildKit settings say
 * `http = false` for it: the one setting a user with a registry on such an address would write. imagetools reads a
 * builder's settings from the buildx store and never reaches the builder itself, so the builder is stored, not
 * created (creating one needs a Docker engine); its endpoint is never dialled. The TLS trust still comes from
 * SSL_CERT_FILE: imagetools uses Go's default client whatever the settings say.
 */
async function httpsBuilder(dockerDir: string, hosts: readonly string[]): Promise<string[]> {
  const settings = hosts.map((host) => `[registry."${host}"]\n  http = false\n`).join('');
  const instances = join(dockerDir, 'buildx', 'instances');
  await mkdir(instances, { recursive: true });
  const builder = {
    Name: HTTPS_BUILDER,
    Driver: 'remote',
    Nodes: [
      {
        Name: `${HTTPS_BUILDER}0`,
        Endpoint: 'tcp://127.0.0.1:1',
        Files: { 'buildkitd.toml': Buffer.from(settings).toString('base64') },
      },
    ],
    Dynamic: false,
  };
  await writeFile(join(instances, HTTPS_BUILDER), JSON.stringify(builder));
  return ['--builder', HTTPS_BUILDER];
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
  async steps(job) {
    const { sources, tags, workDir } = job;
    const dockerDir = join(workDir, 'docker');
    const env = await dockerConfig(dockerDir, job);
    const builder = job.tls === undefined ? [] : await httpsBuilder(dockerDir, job.hosts);
    const args = [
      'buildx',
      'imagetools',
      'create',
      ...builder,
      ...tags.flatMap((tag) => ['-t', tag]),
      ...sources,
    ];
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
