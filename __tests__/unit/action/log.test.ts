import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { log, neutralizeCommands } from '../../../src/action/log.js';

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
