import { describe, expect, it } from '@jest/globals';
import { parseLines, parseList } from '../../../../src/action/inputs/list.js';

describe('parseList', () => {
  it.each([
    ['empty', '', []],
    ['blank lines only', '\n  \n\t\n', []],
    ['one entry', 'ghcr.io/acme/app:1.0', ['ghcr.io/acme/app:1.0']],
    ['newlines', 'a:1\nb:2\n', ['a:1', 'b:2']],
    ['CRLF line ends', 'a:1\r\nb:2\r\n', ['a:1', 'b:2']],
    ['commas', 'linux/amd64,linux/arm64', ['linux/amd64', 'linux/arm64']],
    ['commas and newlines mixed', 'a, b\nc ,d', ['a', 'b', 'c', 'd']],
    ['surrounding spaces trimmed', '   a:1   \n\tb:2\t', ['a:1', 'b:2']],
    ['empty comma entries dropped', 'a,,b,', ['a', 'b']],
    ['whole-line comment', '# per-arch images\na:1', ['a:1']],
    ['indented whole-line comment', '  # note\na:1', ['a:1']],
    ['trailing comment', 'a:1 # the amd64 build\nb:2', ['a:1', 'b:2']],
    ['trailing comment after a comma list', 'a, b # two', ['a', 'b']],
    ['# without space before it is kept', 'a#b', ['a#b']],
    [
      'docker/metadata-action tags output',
      'ghcr.io/acme/app:1.2.3\nghcr.io/acme/app:1.2\nghcr.io/acme/app:latest',
      ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:1.2', 'ghcr.io/acme/app:latest'],
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseList(text)).toEqual(expected);
  });
});

describe('parseLines', () => {
  it.each([
    ['empty', '', []],
    ['one line per entry', 'index:a=1\nindex:b=2', ['index:a=1', 'index:b=2']],
    [
      'commas stay in values',
      'index:org.opencontainers.image.authors=a, b',
      ['index:org.opencontainers.image.authors=a, b'],
    ],
    ['trailing " #" stays in values', 'index:description=fixes #42', ['index:description=fixes #42']],
    ['whole-line comment dropped', '# from metadata-action\nindex:a=1', ['index:a=1']],
    ['blank lines dropped, lines trimmed', '\n  index:a=1  \n\n', ['index:a=1']],
    ['CRLF line ends', 'index:a=1\r\nindex:b=2', ['index:a=1', 'index:b=2']],
  ])('%s', (_name, text, expected) => {
    expect(parseLines(text)).toEqual(expected);
  });
});
