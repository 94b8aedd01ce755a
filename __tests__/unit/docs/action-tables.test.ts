import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { actionEntries, section, tableRows } from '../../support/markdown.js';

const ROOT = new URL('../../../', import.meta.url);
const actionYml = readFileSync(new URL('action.yml', ROOT), 'utf8');
const readme = readFileSync(new URL('README.md', ROOT), 'utf8');

/** The README table under `heading`: each name in a row's first cell (`username`, `password` share one) with its row. */
function documented(heading: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const cells of tableRows(section(readme, heading))) {
    for (const [, name] of cells[0]!.matchAll(/`([^`]+)`/g)) rows.set(name!, cells);
  }
  return rows;
}

/** How the README's default cell should read for action.yml's default: blank or a (note) when there is none. */
function defaultDiffers(readmeCell: string, declared: string): boolean {
  const literal = /^`(.*)`$/.exec(readmeCell)?.[1];
  if (declared === '') return literal !== undefined && literal !== '';
  return literal !== declared;
}

/** What differs between action.yml's entries and the README table's rows, one sentence each. */
function differences(kind: 'inputs' | 'outputs', heading: string): string[] {
  const declared = actionEntries(actionYml, kind);
  const rows = documented(heading);
  const found: string[] = [];
  for (const entry of declared) {
    const row = rows.get(entry.name);
    if (row === undefined) {
      found.push(
        `${kind.slice(0, -1)} "${entry.name}" is in action.yml but not in the README's ${heading} table`,
      );
    } else if (kind === 'inputs' && defaultDiffers(row[1] ?? '', entry.default)) {
      found.push(
        `input "${entry.name}": action.yml's default is ${JSON.stringify(entry.default)}, the README says ${JSON.stringify(row[1])}`,
      );
    }
  }
  const names = new Set(declared.map((entry) => entry.name));
  for (const name of rows.keys()) {
    if (!names.has(name)) {
      found.push(`${kind.slice(0, -1)} "${name}" is in the README's ${heading} table but not in action.yml`);
    }
  }
  return found;
}

describe("the README's tables", () => {
  it('reads action.yml', () => {
    expect(actionEntries(actionYml, 'inputs').map((entry) => entry.name)).toContain('sources');
    expect(actionEntries(actionYml, 'inputs').find((entry) => entry.name === 'format')?.default).toBe('auto');
    expect(actionEntries(actionYml, 'outputs').map((entry) => entry.name)).toContain('digest');
  });

  it('name every input of action.yml, with its default, and no other', () => {
    expect(differences('inputs', '## Inputs')).toEqual([]);
  });

  it('name every output of action.yml, and no other', () => {
    expect(differences('outputs', '## Outputs')).toEqual([]);
  });
});
