// Class 3 of the trust figures: nothing another program or a registry prints reaches the log unfiltered. Layout
// archives whose member names are workflow commands are read in this process (no tar or unzip output), and
// registry text full of control characters is printed with every one of them escaped, debug on or off.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedImage } from '../../../testkit/images.js';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';
import { registryErrorAnswer, startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';
import { layoutEntries, tarGzOf, zipOf, type ArchiveEntry } from '../../support/layout-archives.js';
import { trustTally } from '../../support/trust-figures.js';

const CASE_TIMEOUT_MS = 120_000;
const tally = trustTally('log (class 3)');
const DEBUG: Record<string, string> = { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' };
const NO_DEBUG: Record<string, string> = {};
const FORGING_NAMES = [
  '::stop-commands::pwned',
  '::add-mask::visible',
  '##[warning]forged',
  '\u001b]0;title\u0007::error::esc',
  'x\r::set-output name=x::y',
  'x\u2028::warning::ls',
];
// Raw control characters a registry may send: ESC sequences, BEL, CR, NEL, LINE/PARAGRAPH SEPARATOR, C1 CSI.
const CONTROLS =
  '\u001b[2J\u001b[31mred\u0007\r::add-mask::cr\u0085::error::nel\u2028::warning::ls\u2029\u009b0m';

let registry: TestRegistry;
let raw: RawRegistry;
let proxy: FaultProxy;
let dir: string;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  raw = new RawRegistry(registry);
  proxy = await startFaultProxy(registry);
  dir = await mkdtemp(join(tmpdir(), 'trust-log-'));
});

afterAll(async () => {
  tally.print();
  await proxy?.stop();
  await registry?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The layout, plus empty files whose names are workflow commands. */
const hostileLayout = (): ArchiveEntry[] => [
  ...layoutEntries('amd64'),
  ...FORGING_NAMES.map((name) => ({ name, content: new Uint8Array(0) })),
];

describe('layout archives whose member names are workflow commands', () => {
  it.each<[string, string, Record<string, string>]>([
    ['.tar.gz', 'debug off', NO_DEBUG],
    ['.tar.gz', 'debug on', DEBUG],
    ['.zip', 'debug off', NO_DEBUG],
    ['.zip', 'debug on', DEBUG],
  ])(
    '%s, %s: published, and no forged line',
    async (suffix, _debug, env) => {
      const path = join(dir, `hostile-${Object.keys(env).length}${suffix}`);
      await writeFile(path, suffix === '.zip' ? zipOf(hostileLayout()) : tarGzOf(hostileLayout()));
      const tag = `${suffix.slice(1).replace('.', '-')}-${Object.keys(env).length}`;
      const run = await runAction(
        { sources: `oci-layout:${path}`, tags: `${registry.host}/trust/log:${tag}` },
        env,
      );
      tally.check(run);
      expect(run.exitCode).toBe(0);
      expect(run.outputs.platforms).toBe('linux/amd64');
      expect((await raw.getManifest('trust/log', tag)).digest).toBe(run.outputs.digest);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );
});

describe('registry text with raw control characters', () => {
  it.each<[string, Record<string, string>]>([
    ['debug off', NO_DEBUG],
    ['debug on', DEBUG],
  ])(
    'in a refusal of the tag, %s: every control character escaped, no forged line, nothing written',
    async (_debug, env) => {
      await seedImage(raw, { repo: 'trust/src', tag: 'amd64', architecture: 'amd64' });
      proxy.setRules([
        {
          method: 'PUT',
          path: /\/manifests\/1\.0$/,
          fault: registryErrorAnswer(400, 'DENIED', `no${CONTROLS}`),
        },
      ]);
      const run = await runAction(
        { sources: `${registry.host}/trust/src:amd64`, tags: `${proxy.host}/trust/controls:1.0` },
        env,
      );
      tally.check(run);
      expect(run.exitCode).toBe(1);
      // Only line breaks and tabs remain of the control characters; the registry's text is there, escaped.
      expect(run.stdout.replace(/[\n\t]/g, '')).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
      expect(run.stdout).toContain('(DENIED: no\\x1b[2J\\x1b[31mred\\x07');
      expect(run.stdout).toContain('\\x9b0m)');
      expect(await raw.hasManifest('trust/controls', '1.0')).toBe(false);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );
});
