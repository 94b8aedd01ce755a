// `npm run local-action`: the action run on a workstation through @github/local-action, from its TypeScript
// sources, with inputs from an env file. Checked end to end against a real registry, in verify mode.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { seedImage, seedIndex } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let registry: TestRegistry;
let dir: string;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  dir = await mkdtemp(join(tmpdir(), 'local-action-'));
});

afterAll(async () => {
  await registry.stop();
  await rm(dir, { recursive: true, force: true });
});

it('runs the action from its sources with the inputs of an env file, and prints its outputs', async () => {
  const raw = new RawRegistry(registry);
  const repo = 'local/app';
  const children = [
    await seedImage(raw, { repo, architecture: 'amd64' }),
    await seedImage(raw, { repo, architecture: 'arm64' }),
  ];
  const index = await seedIndex(raw, { repo, tag: '1.0', children });
  const envFile = join(dir, '.env');
  const summary = join(dir, 'summary.md');
  await writeFile(summary, '');
  await writeFile(
    envFile,
    [
      `INPUT_SOURCES=${registry.host}/${repo}:1.0`,
      'INPUT_PUSH=false',
      'INPUT_PLATFORMS=linux/amd64,linux/arm64',
      `GITHUB_STEP_SUMMARY=${summary}`,
    ].join('\n'),
  );
  const bin = join(ROOT, 'node_modules/@github/local-action/bin/local-action.js');
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'run', '.', 'src/main.ts', envFile], {
    cwd: ROOT,
    timeout: 110_000,
  });
  expect(stdout).toContain(`::set-output name=digest::${index.digest}`);
  expect(stdout).toContain('::set-output name=platforms::linux/amd64,linux/arm64');
  expect(stdout).not.toContain('::error');
  expect(await readFile(summary, 'utf8')).toContain(
    '<h2>Sources verified: nothing was written (verify mode)</h2>',
  );
}, 120_000);
