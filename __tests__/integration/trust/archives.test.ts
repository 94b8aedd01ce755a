// Class 7 (archives) of the trust figures: a layout archive is bounded in entries and in what it unpacks to, and
// one past the bounds fails fast with a clear error, having written little, and nothing to the target.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { RawRegistry } from '../../../testkit/raw-registry.js';
import { startRegistry, type TestRegistry } from '../../../testkit/registry-process.js';
import { runAction } from '../../../testkit/run-action.js';
import { tarOf } from '../../../testkit/tar.js';
import { gzipBomb, layoutEntries, zipOf } from '../../support/layout-archives.js';
import { trustTally } from '../../support/trust-figures.js';

const CASE_TIMEOUT_MS = 120_000;
const GIB = 1024 ** 3;
const tally = trustTally('archives (class 7)');

let registry: TestRegistry;
let raw: RawRegistry;
let dir: string;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  raw = new RawRegistry(registry);
  dir = await mkdtemp(join(tmpdir(), 'trust-archives-'));
});

afterAll(async () => {
  tally.print();
  await registry?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the action on the archive `bytes`, named `name`, with its own temp folder to look into afterwards. */
async function publishArchive(name: string, bytes: Uint8Array) {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const temp = await mkdtemp(join(dir, 'runner-temp-'));
  const run = await runAction(
    { sources: `oci-layout:${path}`, tags: `${registry.host}/trust/archive:${name.replace(/\W/g, '-')}` },
    { RUNNER_TEMP: temp },
  );
  return { run, leftInTemp: await readdir(temp), tag: name.replace(/\W/g, '-') };
}

describe('layout archives past the bounds', () => {
  it(
    'a 3 GiB gzip bomb of a few MiB: refused once it passes the bound, having unpacked little; nothing left',
    async () => {
      const bomb = gzipBomb(3 * GIB);
      expect(bomb.length).toBeLessThan(13 * 1024 * 1024);
      const { run, leftInTemp, tag } = await publishArchive('bomb.tar.gz', bomb);
      tally.check(run);
      expect(run.exitCode).toBe(1);
      const [, limit] = /it unpacks to more than ([\d.]+) MB/.exec(run.stdout) ?? [];
      // The bound is what was unpacked when it stopped: 64 MiB and 32 times the little read of it, not gigabytes.
      expect(Number(limit)).toBeLessThan(200);
      expect(run.stdout).toMatch(
        /^::error title=Layout archive too large::failed to decompress the layout archive/m,
      );
      expect(leftInTemp).toEqual([]);
      expect(await raw.hasManifest('trust/archive', tag)).toBe(false);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'a zip whose directory adds up to 3 GiB: refused before any entry is read',
    async () => {
      const zip = zipOf(layoutEntries('amd64'), (entry) =>
        entry.name === 'index.json' ? 3 * GIB : entry.content.length,
      );
      const { run, tag } = await publishArchive('declared.zip', zip);
      tally.check(run);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(
        /^::error title=Layout archive too large::failed to open oci-layout:.*declared\.zip: it unpacks to more than/m,
      );
      expect(await raw.hasManifest('trust/archive', tag)).toBe(false);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'a zip entry that inflates past what its directory says: stopped at the declared size',
    async () => {
      const entries = layoutEntries('amd64').map((entry) =>
        entry.name === 'index.json'
          ? { ...entry, content: Buffer.concat([entry.content, Buffer.alloc(1 << 20, 0x20)]) }
          : entry,
      );
      const zip = zipOf(entries, (entry) => (entry.name === 'index.json' ? 100 : entry.content.length));
      const { run, tag } = await publishArchive('lying.zip', zip);
      tally.check(run);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain('"index.json" holds more bytes where the central directory says 100');
      expect(await raw.hasManifest('trust/archive', tag)).toBe(false);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'a .tar.gz of 100,001 entries: refused naming the bound',
    async () => {
      const empty = new Uint8Array(0);
      const many = Array.from({ length: 100_001 }, (_, n) => ({ name: `f/${n}`, content: empty }));
      const { run, tag } = await publishArchive(
        'many.tar.gz',
        gzipSync(tarOf([...layoutEntries('amd64'), ...many])),
      );
      tally.check(run);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(
        /^::error title=Layout archive too large::.*the archive holds more than 100000 entries/m,
      );
      expect(await raw.hasManifest('trust/archive', tag)).toBe(false);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'a layout archive within the bounds: published',
    async () => {
      const { run, tag } = await publishArchive('fine.zip', zipOf(layoutEntries('arm64')));
      tally.check(run);
      expect(run.exitCode).toBe(0);
      expect((await raw.getManifest('trust/archive', tag)).digest).toBe(run.outputs.digest);
      tally.clean();
    },
    CASE_TIMEOUT_MS,
  );
});
