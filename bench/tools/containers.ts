import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Step } from '../measured-run.js';
import { probeVersion, type Tool } from './tool.js';

/**
 * buildah and podman share containers/image: a local list built from the sources, then pushed (with its images,
 * `--all`) to every tag. Storage is vfs in the run's own folder, so nothing of the machine's is used.
 */
function containersTool(command: 'buildah' | 'podman'): Tool {
  return {
    name: `${command} manifest`,
    plainOnly: true,
    probe: () => probeVersion(command, ['--version'], `apt-get install ${command}`),
    async steps({ sources, tags, hosts, workDir }) {
      // podman 4.3's `manifest create` ignores --tls-verify for the images it adds: mark the hosts insecure here.
      const registriesConf = join(workDir, 'registries.conf');
      await writeFile(
        registriesConf,
        hosts.map((host) => `[[registry]]\nlocation = "${host}"\ninsecure = true\n`).join('\n'),
      );
      const env = { PATH: process.env.PATH ?? '', HOME: workDir, CONTAINERS_REGISTRIES_CONF: registriesConf };
      // podman refuses a runroot path over 50 characters: keep it short.
      const storage = [
        '--root',
        join(workDir, 'root'),
        '--runroot',
        join(workDir, 'rr'),
        '--storage-driver',
        'vfs',
      ];
      const step = (...args: string[]): Step => ({ command, args: [...storage, ...args], env });
      const list = 'localhost/bench-list:latest';
      return [
        step(
          'manifest',
          'create',
          '--tls-verify=false',
          list,
          ...sources.map((source) => `docker://${source}`),
        ),
        ...tags.map((tag) =>
          step('manifest', 'push', '--all', '--tls-verify=false', list, `docker://${tag}`),
        ),
      ];
    },
  };
}

export const buildahTool = containersTool('buildah');
export const podmanTool = containersTool('podman');
