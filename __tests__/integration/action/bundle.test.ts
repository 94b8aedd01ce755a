// The bundle's start-up cost: what every run pays before its first request. Checked on the files, never timed.
import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
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

/** The packages dist/'s source maps name files of: what the bundle holds, whichever chunk it is in. */
async function bundledPackages(): Promise<Map<string, string>> {
  const packages = new Map<string, string>();
  for (const map of (await readdir(dist)).filter((file) => file.endsWith('.js.map'))) {
    const { sources } = JSON.parse(await readFile(join(dist, map), 'utf8')) as { sources: string[] };
    for (const source of sources) {
      const path = resolve(dist, source);
      const at = path.lastIndexOf('/node_modules/');
      if (at < 0) continue;
      const [first, second] = path.slice(at + '/node_modules/'.length).split('/');
      const name = first!.startsWith('@') ? `${first}/${second}` : first!;
      packages.set(name, path.slice(0, at + '/node_modules/'.length) + name);
    }
  }
  return packages;
}

/** dist/licenses.txt's entries: a name line and an SPDX line after a blank line (or at the start), then the text. */
function licenceEntries(text: string): Map<string, { spdx: string; text: string }> {
  const lines = text.split('\n');
  const starts = lines.flatMap((line, i) =>
    (i === 0 || lines[i - 1] === '') &&
    /^(@[\w.-]+\/)?[\w.-]+$/.test(line) &&
    /^[\w.()+ -]+$/.test(lines[i + 1] ?? '')
      ? [i]
      : [],
  );
  return new Map(
    starts.map((start, k) => [
      lines[start]!,
      {
        spdx: lines[start + 1]!,
        text: lines
          .slice(start + 2, starts[k + 1] ?? lines.length)
          .join('\n')
          .trim(),
      },
    ]),
  );
}

describe('dist/licenses.txt', () => {
  it('lists the licence of every package the source maps say is bundled, and nothing else', async () => {
    const bundled = await bundledPackages();
    const listed = licenceEntries(await readFile(join(dist, 'licenses.txt'), 'utf8'));
    expect([...listed.keys()].sort()).toEqual([...bundled.keys()].sort());
    // The lazily loaded chunks' packages, which ncc's own list left out.
    for (const name of ['@actions/core', '@actions/exec', '@actions/io', 'tunnel']) {
      expect(listed.has(name)).toBe(true);
    }
    for (const [name, dir] of bundled) {
      const declared = (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { license: string })
        .license;
      expect({ name, spdx: listed.get(name)?.spdx }).toEqual({ name, spdx: declared });
      expect(listed.get(name)!.text.length).toBeGreaterThan(100);
    }
  });
});
