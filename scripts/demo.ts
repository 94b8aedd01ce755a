// `npm run demo`: a real local registry, three per-arch sample images, and the action run on them
// exactly as a runner starts it (node dist/index.js with INPUT_* variables). Then the same action
// catching a mislabelled image. Uses the test harness to run the registry and seed the images.
import { execFileSync } from 'node:child_process';
import { seedImage } from '../testkit/images.js';
import { RawRegistry } from '../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../testkit/registry-process.js';
import { runAction, type ActionRun } from '../testkit/run-action.js';
import { helloExecutable, QEMU } from '../testkit/elf.js';
import { pullAndRun, skopeoInspect } from '../testkit/skopeo.js';

const REPO = 'demo/app';
const QEMU_FOR: Record<string, string | undefined> = {
  'linux/arm64': QEMU.arm64,
  'linux/arm/v7': QEMU.arm,
};

function has(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

async function answers(url: string): Promise<boolean> {
  return fetch(url).then(
    (response) => response.ok,
    () => false,
  );
}

/** The registry to run against: $REGISTRY, else Debian's docker-registry, else Docker's registry:2. */
async function openRegistry(): Promise<TestRegistry> {
  const given = process.env.REGISTRY;
  if (given) {
    return { host: given, url: `http://${given}`, auth: 'none', stop: async () => undefined };
  }
  if (has('docker-registry', ['--version'])) return startRegistry({ auth: 'none' });
  if (has('docker', ['info'])) {
    const id = execFileSync('docker', ['run', '-d', '--rm', '-p', '127.0.0.1::5000', 'registry:2'], {
      encoding: 'utf8',
    }).trim();
    const port = execFileSync('docker', ['port', id, '5000/tcp'], { encoding: 'utf8' })
      .trim()
      .split(':')
      .pop();
    const host = `127.0.0.1:${port}`;
    for (let i = 0; i < 100 && !(await answers(`http://${host}/v2/`)); i++)
      await new Promise((r) => setTimeout(r, 100));
    return {
      host,
      url: `http://${host}`,
      auth: 'none',
      stop: async () => void execFileSync('docker', ['rm', '-f', id]),
    };
  }
  throw new Error(
    'the demo needs a registry: install Debian\'s "docker-registry" package (sudo apt-get install docker-registry), ' +
      'or start Docker, or run one yourself and set REGISTRY=host:port',
  );
}

function show(title: string, run: ActionRun): void {
  console.log(`\n──── ${title} (exit code ${run.exitCode}) ────`);
  const log = run.stdout
    .split('\n')
    .filter((line) => line && !line.startsWith('::debug::'))
    .map((line) =>
      line.replace(/^::(group|endgroup)::/, (_m, kind: string) => (kind === 'group' ? '▸ ' : '')),
    )
    .filter(Boolean);
  console.log(log.join('\n'));
  if (Object.keys(run.outputs).length > 0) {
    console.log('\noutputs:');
    for (const [name, value] of Object.entries(run.outputs)) {
      console.log(`  ${name}: ${name === 'manifest' ? `${value.length} bytes of JSON` : value}`);
    }
  }
  if (run.summary) {
    const text = run.summary
      .replace(/<\/(tr|h\d|p|li)>/g, '\n')
      .replace(/<\/t[dh]>/g, '  ')
      .replace(/<br>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&#(\d+);/g, (_match, code: string) => String.fromCodePoint(Number(code)))
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .replace(/\n{3,}/g, '\n\n');
    console.log(`\njob summary:\n${text.trim()}`);
  }
}

async function main(): Promise<void> {
  const registry = await openRegistry();
  try {
    console.log(`registry at ${registry.host}`);
    const raw = new RawRegistry(registry);
    const ref = (tag: string): string => `${registry.host}/${REPO}:${tag}`;
    // Each image holds a tiny program for its architecture that prints its platform.
    const platforms = [
      { tag: '1.0-amd64', architecture: 'amd64', platform: 'linux/amd64' },
      { tag: '1.0-arm64', architecture: 'arm64', platform: 'linux/arm64' },
      { tag: '1.0-armv7', architecture: 'arm', variant: 'v7', platform: 'linux/arm/v7' },
    ] as const;
    for (const { platform, ...image } of platforms) {
      const executable = helloExecutable(image.architecture, `hello from ${platform}\n`);
      const seeded = await seedImage(raw, { repo: REPO, ...image, executable });
      console.log(`seeded ${ref(image.tag)} → ${seeded.digest}`);
    }

    const run = await runAction({
      sources: `linux/amd64=${ref('1.0-amd64')}\nlinux/arm64=${ref('1.0-arm64')}\nlinux/arm/v7=${ref('1.0-armv7')}`,
      tags: `${ref('1.0')}\n${ref('latest')}`,
      platforms: 'linux/amd64,linux/arm64,linux/arm/v7',
    });
    show('publish three per-arch tags as 1.0 and latest', run);
    if (run.exitCode !== 0) throw new Error('the publish run failed');

    if (has('skopeo', ['--version'])) {
      console.log('\nskopeo, as an independent client, pulls for each platform, and the program in it says:');
      for (const { platform } of platforms) {
        const qemu = QEMU_FOR[platform];
        if (qemu !== undefined && !has(qemu, ['--version'])) {
          const image = await skopeoInspect(ref('1.0'), platform);
          console.log(
            `  ${platform.padEnd(13)} → ${image.Os}/${image.Architecture} (install qemu-user-static to run it)`,
          );
          continue;
        }
        const pulled = await pullAndRun(ref('1.0'), platform);
        console.log(`  ${platform.padEnd(13)} → ${pulled.digest}: ${pulled.output.trim()}`);
      }
    }

    // The catch: a tag called s390x that holds an amd64 build.
    await seedImage(raw, { repo: REPO, tag: '1.0-s390x', architecture: 'amd64', salt: 'mislabelled' });
    const caught = await runAction({
      sources: `${ref('1.0-amd64')}\nlinux/s390x=${ref('1.0-s390x')}`,
      tags: ref('1.1'),
    });
    show('a tag that says s390x but holds amd64', caught);
    const tags = await raw.listTags(REPO);
    console.log(
      `\ntag 1.1 was ${tags.includes('1.1') ? 'WRITTEN (wrong!)' : 'not written'}; tags: ${tags.join(', ')}`,
    );
    if (caught.exitCode === 0 || tags.includes('1.1'))
      throw new Error('the mislabelled image was not caught');
  } finally {
    await registry.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
