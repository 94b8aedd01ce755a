import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';

const ROOT = new URL('../../../', import.meta.url);
const SRC = new URL('src/', ROOT);
const guide = readFileSync(new URL('docs/TROUBLESHOOTING.md', ROOT), 'utf8');
const readme = readFileSync(new URL('README.md', ROOT), 'utf8');

const QUOTED = /'([^'\\]+)'/g;
/** `readonly title = …`, `readonly title: string = …`, `this.title = …`, up to the statement's end (a ternary may pick one of two). */
const TITLE_ASSIGNMENT = /(?:\breadonly\s+|\bthis\.)title(?:\s*:\s*string)?\s*=\s*([^;]+);/g;
/** A computed title: the body of `get title() { … }`, whose quoted strings are its fixed parts. */
const TITLE_GETTER = /\bget title\(\)[^{]*\{([\s\S]*?)\n {2}\}/g;
/** The title of a failure no error class names (`title: … ?? 'Publish failed'`). */
const FALLBACK_TITLE = /\btitle:[^,\n]*\?\?\s*'([^']+)'/g;

/** Every fixed piece of an annotation title that src/ can print, with the file that declares it. */
function titlesInSource(): { title: string; file: string }[] {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.ts'),
  );
  const titles: { title: string; file: string }[] = [];
  for (const file of files) {
    const text = readFileSync(new URL(file, SRC), 'utf8');
    const expressions = [
      ...[...text.matchAll(TITLE_ASSIGNMENT)].map((match) => match[1]!),
      ...[...text.matchAll(TITLE_GETTER)].map((match) => match[1]!),
    ];
    for (const expression of expressions) {
      for (const [, title] of expression.matchAll(QUOTED)) titles.push({ title: title!, file });
    }
    for (const [, title] of text.matchAll(FALLBACK_TITLE)) titles.push({ title: title!, file });
  }
  return titles;
}

const headings = guide.split('\n').filter((line) => /^#{2,4} /.test(line));

describe('docs/TROUBLESHOOTING.md', () => {
  const titles = titlesInSource();

  it('finds the titles src/ declares', () => {
    expect(titles.map((item) => item.title)).toEqual(
      expect.arrayContaining(['Invalid input', 'Publish refused', 'Tags not moved', 'Registry unreachable']),
    );
  });

  it('has a section for every error title the action can print', () => {
    const undocumented = titles
      .filter(({ title }) => !headings.some((heading) => heading.includes(title)))
      .map(({ title, file }) => `"${title}" (src/${file}) has no heading in docs/TROUBLESHOOTING.md`);
    expect(undocumented).toEqual([]);
  });

  it('is linked from the README', () => {
    expect(readme).toContain('(docs/TROUBLESHOOTING.md)');
  });
});
