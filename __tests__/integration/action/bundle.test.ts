// The bundle's start-up cost: what every run pays before its first request. Checked on the files, never timed.
import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ACTION_ENTRY } from '../../../testkit/run-action.js';

const dist = dirname(ACTION_ENTRY);

describe('the bundle', () => {
  it('holds one copy of undici', async () => {
    const code = await readFile(ACTION_ENTRY, 'utf8');
    // undici's lib/global.js declares this symbol once per copy; @actions/http-client's own undici made two.
    expect(code.split("Symbol.for('undici.globalDispatcher.1')")).toHaveLength(2);
  });

  it('registers no source map: a run never parses dist/index.js.map', async () => {
    const files = await readdir(dist);
    expect(files.filter((file) => /sourcemap-register/.test(file))).toEqual([]);
    const code = await readFile(ACTION_ENTRY, 'utf8');
    expect(code).not.toMatch(/sourcemap-register|source-map-support/);
  });

  it('keeps layouts, tars and credential helpers out of the entry chunk', async () => {
    const chunks = (await readdir(dist)).filter((file) => /^\d+\.index\.js$/.test(file));
    const texts = await Promise.all(chunks.map((chunk) => readFile(join(dist, chunk), 'utf8')));
    const entry = await readFile(ACTION_ENTRY, 'utf8');
    for (const marker of [
      'function openOciLayout(',
      'function openTarFiles(',
      'function runCredentialHelper(',
    ]) {
      expect(entry).not.toContain(marker);
      expect(texts.filter((text) => text.includes(marker))).toHaveLength(1);
    }
  });
});
