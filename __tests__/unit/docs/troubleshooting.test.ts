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

/** The bodies of `hints()` methods and of functions named `…Hint`/`…Hints`: where src/ words what to do. */
const HINT_BODY = /\bhints\(\)[^{]*\{([\s\S]*?)\n {2}\}|\bfunction \w*Hints?\([^)]*\)[^{]*\{([\s\S]*?)\n\}/g;

/**
 * The string literals of `code`, each run of them joined by `+` taken as one: the text, with every `${…}` of a
 * template as `\u0000` (what varies from run to run).
 */
function literals(code: string): string[] {
  const found: string[] = [];
  let joining = false;
  for (let i = 0; i < code.length; i++) {
    const quote = code[i]!;
    if (quote === '+' || /\s/.test(quote)) continue;
    if (code.startsWith('//', i)) {
      i = code.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (quote !== "'" && quote !== '"' && quote !== '`') {
      joining = false;
      continue;
    }
    let text = '';
    for (i++; i < code.length && code[i] !== quote; i++) {
      if (code[i] === '\\') text += code[++i];
      else if (quote === '`' && code.startsWith('${', i)) {
        for (let depth = 0; i < code.length; i++) {
          if (code[i] === '{') depth++;
          if (code[i] === '}' && --depth === 0) break;
        }
        text += '\u0000';
      } else text += code[i];
    }
    const next = code.slice(i + 1).match(/^\s*(\+)?/)![1];
    if (joining) found[found.length - 1] += text;
    else found.push(text);
    joining = next === '+';
  }
  return found;
}

/** Every hint src/ can print, as a pattern over the guide's text (what varies matches a `<placeholder>` or a value). */
function hintsInSource(): { hint: string; pattern: RegExp; file: string }[] {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.ts'),
  );
  return files.flatMap((file) =>
    [...readFileSync(new URL(file, SRC), 'utf8').matchAll(HINT_BODY)]
      .flatMap((match) => literals(match[1] ?? match[2]!))
      // Sentences only: the fragments a hint is put together from are too short to stand alone.
      .filter((hint) => hint.replaceAll('\u0000', '').length >= 30)
      .map((hint) => ({
        hint: hint.replaceAll('\u0000', '…'),
        pattern: new RegExp(
          hint
            .split('\u0000')
            .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'))
            .join('.{1,80}?'),
        ),
        file,
      })),
  );
}

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

  it('quotes every hint the action can print, as printed', () => {
    const hints = hintsInSource();
    expect(hints.map((item) => item.hint)).toEqual(
      expect.arrayContaining([
        'credentials for … came from …: check they are valid and may access this repository',
        'add a source for each missing platform, or leave it out of `platforms`',
        'ECR does not create repositories on push: create the repository… first (aws ecr create-repository)',
      ]),
    );
    const text = guide.replace(/\s+/g, ' ');
    const unquoted = hints
      .filter(({ pattern }) => !pattern.test(text))
      .map(({ hint, file }) => `"${hint}" (src/${file}) is not quoted in docs/TROUBLESHOOTING.md`);
    expect(unquoted).toEqual([]);
  });

  it('is linked from the README', () => {
    expect(readme).toContain('(docs/TROUBLESHOOTING.md)');
  });
});
