import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { fencedBlocks } from '../../support/markdown.js';

const ROOT = new URL('../../../', import.meta.url);
const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
const EXAMPLE_MARK = /^<!-- example: (\S+) -->$/;

function workflowFiles(folder: string): string[] {
  return readdirSync(new URL(folder, ROOT))
    .filter((name) => name.endsWith('.yml'))
    .sort()
    .map((name) => `${folder}/${name}`);
}
const examples = workflowFiles('examples');
const read = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');

describe('the workflows in the README', () => {
  it('are the files under examples/, each shown once, byte for byte', () => {
    const problems: string[] = [];
    const shown: string[] = [];
    for (const block of fencedBlocks(readme).filter((block) => block.language === 'yaml')) {
      const path = EXAMPLE_MARK.exec(block.before)?.[1];
      if (path === undefined) {
        problems.push(
          `README line ${block.line}: a yaml block without <!-- example: examples/NAME.yml --> above it`,
        );
      } else if (!examples.includes(path)) {
        problems.push(`README line ${block.line}: ${path} is not a file under examples/`);
      } else if (block.content !== read(path)) {
        problems.push(`README line ${block.line}: the block differs from ${path}`);
      }
      if (path !== undefined) shown.push(path);
    }
    for (const path of examples) {
      const times = shown.filter((item) => item === path).length;
      if (times !== 1) problems.push(`${path} is shown ${times} times in the README`);
    }
    expect(examples.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});

describe('every workflow file', () => {
  const files = [...examples, ...workflowFiles('.github/workflows')];

  it.each(files)('%s is complete: name, on, permissions, jobs', (path) => {
    const topLevelKeys = read(path)
      .split('\n')
      .map((line) => /^([a-z-]+):/.exec(line)?.[1])
      .filter((key) => key !== undefined);
    expect(topLevelKeys).toEqual(expect.arrayContaining(['name', 'on', 'permissions', 'jobs']));
  });

  it.each(files)('%s pins every action by commit, with its release in a comment', (path) => {
    const unpinned = usesLines(path)
      .filter((line) => !/uses: (\.\/|acme\/multiarch-publish@)/.test(line))
      .filter((line) => !/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(line));
    expect(unpinned).toEqual([]);
  });
});

describe('this action in the examples', () => {
  // Released versions, newest first, as CHANGELOG.md's `## [X.Y.Z]` headings name them.
  const released = [...read('CHANGELOG.md').matchAll(/^## \[(\d+\.\d+\.\d+)\]/gm)].map((match) => match[1]!);
  const references = [
    ...new Set(examples.flatMap(usesLines).filter((line) => line.includes('acme/multiarch-publish@'))),
  ];

  it('is named one way everywhere', () => {
    expect(references).toHaveLength(1);
  });

  // Before the first release there is no commit to pin to: the examples name v1, the tag that release creates.
  // The release commit cannot name its own hash either, so v1 stays allowed through the first release; from the
  // second on, the examples are pinned to a released commit (CONTRIBUTING.md, Releasing).
  it('is pinned to a released commit, or named by v1 until the first release is out', () => {
    const [reference = ''] = references;
    expect(pinProblem(reference, released)).toBeUndefined();
  });
});

/** What is wrong with how `reference` names this action, given the released versions; undefined when nothing. */
function pinProblem(reference: string, released: string[]): string | undefined {
  const pinnedTo = /@[0-9a-f]{40} # v(\d+\.\d+\.\d+)$/.exec(reference)?.[1];
  if (pinnedTo !== undefined) {
    return released.includes(pinnedTo) ? undefined : `pinned to v${pinnedTo}, not a released version`;
  }
  if (!/uses: acme\/multiarch-publish@v1$/.test(reference))
    return `${reference}: neither @<sha> # vX.Y.Z nor @v1`;
  return released.length > 1 ? `named by @v1 with ${released.length} versions released: pin it` : undefined;
}

function usesLines(path: string): string[] {
  return read(path)
    .split('\n')
    .filter((line) => /^\s*(-\s+)?uses:/.test(line))
    .map((line) => line.trim().replace(/^-\s+/, ''));
}
