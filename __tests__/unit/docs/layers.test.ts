import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain JavaScript module of the lint configuration, without type declarations
import { LAYERS, layerOf } from '../../../eslint-rules/layers.mjs';

type Layers = Record<string, { ours: string[]; packages: string[] }>;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const architecture = readFileSync(`${ROOT}docs/ARCHITECTURE.md`, 'utf8');

/** The Layers table of docs/ARCHITECTURE.md, in the lint rule's terms (paths from the repository root). */
function documentedLayers(): Layers {
  const start = architecture.indexOf('## Layers');
  const section = architecture.slice(start, architecture.indexOf('\n## ', start + 1));
  const rows = section.split('\n').filter((line) => /^\| `/.test(line));
  const cells = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
  return Object.fromEntries(
    rows.map((row) => {
      const [part, ours, packages] = row.split('|').slice(1, 4) as [string, string, string];
      return [
        `src/${cells(part)[0]}`,
        { ours: cells(ours).map((name) => `src/${name}`), packages: cells(packages) },
      ];
    }),
  );
}

const sorted = (layers: Layers): Layers =>
  Object.fromEntries(
    Object.entries(layers)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([part, { ours, packages }]) => [
        part,
        { ours: [...ours].sort(), packages: [...packages].sort() },
      ]),
  );

/** Lints `code` as if it were the file `path` of src/, with the project's configuration; the messages. */
function lint(path: string, code: string): string[] {
  const script = `
    const { ESLint } = await import('eslint');
    const [result] = await new ESLint().lintText(process.argv[1], { filePath: process.argv[2] });
    console.log(JSON.stringify(result.messages.map((m) => m.ruleId + ': ' + m.message)));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, code, `${ROOT}${path}`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('the layers of docs/ARCHITECTURE.md', () => {
  it('are the table the lint rule enforces', () => {
    expect(sorted(documentedLayers())).toEqual(sorted(LAYERS as Layers));
  });

  it('cover every file of src/', () => {
    const files = readdirSync(`${ROOT}src`, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `src/${file}`);
    expect(
      files.filter((file) => (layerOf as (path: string) => string | undefined)(file) === undefined),
    ).toEqual([]);
  });

  it('name only files and folders that exist', () => {
    const sources = readdirSync(`${ROOT}src`, { recursive: true, encoding: 'utf8' });
    const exists = (path: string): boolean =>
      // A path is written from src/, from the repository root, or within the registry client's section.
      ['src/', '', 'src/registry/'].some((base) => existsSync(`${ROOT}${base}${path}`)) ||
      // A bare file name, as in a list of one folder's files.
      (!path.includes('/') && sources.some((file) => file.split('/').at(-1) === path));
    const named = [...architecture.matchAll(/`([\w./-]+(?:\.ts|\.mjs|\/))`/g)].map((match) => match[1]!);
    expect(named.length).toBeGreaterThan(40);
    expect(named.filter((path) => !exists(path))).toEqual([]);
  });

  it('fail lint when crossed, by any kind of import, and console is refused in src/', () => {
    const cases: Array<[path: string, code: string, expected: string]> = [
      [
        'src/publish/probe.ts',
        "export const load = () => import('../layout/oci-layout.js');",
        'local/layers: src/publish/ may not import src/layout/oci-layout.ts',
      ],
      [
        'src/publish/probe.ts',
        "export { Transport } from '../registry/http/transport.js';",
        'local/layers: src/publish/ may not import src/registry/http/transport.ts',
      ],
      [
        'src/layout/probe.ts',
        "import type { RegistryApi } from '../registry/api.js';\nexport type A = RegistryApi;",
        'local/layers: src/layout/ may not import src/registry/api.ts',
      ],
      [
        'src/registry/probe.ts',
        "import { openOciLayout } from '../layout/oci-layout.js';\nexport const open = openOciLayout;",
        'local/layers: src/registry/ may not import src/layout/oci-layout.ts',
      ],
      [
        'src/registry/http/probe.ts',
        "import { RegistryClient } from '../client.js';\nexport const C = RegistryClient;",
        'local/layers: src/registry/http/ may not import src/registry/client.ts',
      ],
      [
        'src/oci/probe.ts',
        "import { readFile } from 'node:fs';\nexport const r = readFile;",
        'package node:fs',
      ],
      ['src/registry/probe.ts', "console.log('x');", 'no-console: Unexpected console statement'],
    ];
    for (const [path, code, expected] of cases) {
      expect(lint(path, code).join('\n')).toContain(expected);
    }
  });
});
