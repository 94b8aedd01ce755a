import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { escapeControls, log, maskSecret, neutralizeCommands, printable } from '../../../src/action/log.js';

const INJECTED = [
  'failed: 400\n::error title=x::pwned',
  'failed\n::set-output name=x::y',
  'failed\r::add-mask::z',
  'failed\r\n  \t::stop-commands::abc',
  'failed\n\u0085\u00a0::warning::nel and nbsp are whitespace to the runner',
  '::notice::at the very start',
  'old syntax ##[set-output name=x;]y in the middle',
];

/** The stdout lines as the runner splits them (at \n, \r or \r\n), each trimmed as its command parser does. */
function runnerLines(stdout: string): string[] {
  return stdout.split(/\r\n|\r|\n/).map((line) => line.replace(/^[\s\u0085]+/u, ''));
}

describe('neutralizeCommands', () => {
  it.each(INJECTED)('leaves no line of %j that the runner reads as a command', (message) => {
    const lines = runnerLines(neutralizeCommands(message));
    expect(lines.filter((line) => line.startsWith('::'))).toEqual([]);
    expect(lines.filter((line) => line.includes('##['))).toEqual([]);
  });

  it('keeps the text readable and the line breaks where they were', () => {
    expect(neutralizeCommands('a\n::error title=x::pwned\r\nb')).toBe('a\n:\u200b:error title=x::pwned\r\nb');
  });

  it('changes nothing else, and nothing twice', () => {
    const text = 'PUT ghcr.io/acme/app:1.0: 500 (attempt 2 of 3), retrying in 1s: a::b';
    expect(neutralizeCommands(text)).toBe(text);
    const once = neutralizeCommands(INJECTED.join('\n'));
    expect(neutralizeCommands(once)).toBe(once);
  });
});

describe('log', () => {
  let printed: string[] = [];
  afterEach(() => {
    jest.restoreAllMocks();
    printed = [];
  });
  const capture = (): void => {
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => printed.push(String(chunk)) > 0);
  };

  it.each([
    ['info', (message: string) => log.info(message)],
    ['debug', (message: string) => log.debug(message)],
    ['notice', (message: string) => log.notice(message)],
    ['warning', (message: string) => log.warning(message)],
    ['error', (message: string) => log.error(message, 'Registry error')],
  ])('%s: no stdout line starts with an injected command; the text is still there', (_name, write) => {
    capture();
    for (const message of INJECTED) write(message);
    const stdout = printed.join('');
    const commands = runnerLines(stdout).filter((line) => line.startsWith('::'));
    // Only our own command per message (info has none): never one a registry wrote.
    expect(
      commands.filter((line) => /^::(error title=x|set-output|add-mask|stop-commands)/.test(line)),
    ).toEqual([]);
    expect(
      commands.every((line) => /^::(debug|notice|warning|error)( title=Registry error)?::/.test(line)),
    ).toBe(true);
    expect(runnerLines(stdout).some((line) => line.includes('##['))).toBe(false);
    expect(stdout).toContain('error title=x::pwned');
  });
});

describe('escapeControls', () => {
  it.each([
    ['ESC and BEL', 'red \x1b[31mtext\x07', 'red \\x1b[31mtext\\x07'],
    ['a lone CR', 'progress 10%\rdone', 'progress 10%\\rdone'],
    ['NEL, LINE and PARAGRAPH SEPARATOR', 'a\u0085b\u2028c\u2029d', 'a\\x85b\\u2028c\\u2029d'],
    ['other C0, DEL and C1', '\x00\x08\x0b\x7f\x9b', '\\x00\\x08\\x0b\\x7f\\x9b'],
  ])('shows %s as visible escapes', (_what, text, shown) => {
    expect(escapeControls(text)).toBe(shown);
  });

  it('keeps tabs and line breaks, CRLF as one line break', () => {
    expect(escapeControls('a\tb\nc\r\nd')).toBe('a\tb\nc\nd');
  });

  it('leaves no control character in anything printed', () => {
    const printed = printable('x\x1b]0;title\x07\r::add-mask::y\u2028::error::z');
    expect(printed).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
    expect(printed.split('\n')).toHaveLength(1);
  });
});

describe('maskSecret', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it.each(['pa/ss', 'pa"ss', 'p@ss@', 'a b:c', '-_!'])(
    'blanks %j wherever it appears in printed text, and asks the runner to mask it',
    (secret) => {
      const printed: string[] = [];
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => printed.push(String(chunk)) > 0);
      maskSecret(secret);
      expect(printed.join('')).toBe(`::add-mask::${secret.replace(/%/g, '%25')}\n`);
      expect(printable(`failed for "user:${secret}@registry.example/app": ${secret}`)).not.toContain(secret);
    },
  );
});
