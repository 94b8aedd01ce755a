import { InputError } from '../input-error.js';

const LINE_BREAK = /\r?\n/;
// A `#` after whitespace starts a trailing comment; references, platforms and hosts never contain one.
const TRAILING_COMMENT = /\s#.*$/;

/**
 * Splits a list input (sources, tags, platforms, insecure-registries) on newlines and commas. Entries are
 * trimmed; blank entries, whole-line `#` comments and trailing ` #` comments are dropped.
 */
export function parseList(text: string): string[] {
  return uncommentedLines(text)
    .flatMap((line) => line.replace(TRAILING_COMMENT, '').split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * Splits a line-per-entry input (annotations) on newlines only, like docker/metadata-action's `ignoreComma`:
 * values are free text, so commas and ` #` stay in them. Lines are trimmed; blank lines and whole-line `#`
 * comments are dropped.
 */
export function parseLines(text: string): string[] {
  return uncommentedLines(text)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function uncommentedLines(text: string): string[] {
  return text.split(LINE_BREAK).filter((line) => !line.trimStart().startsWith('#'));
}

/** Parses one entry of a list input; the parser's error becomes an InputError naming the input and the entry. */
export function parseEntry<T>(input: string, entry: string, parse: (text: string) => T): T {
  try {
    return parse(entry);
  } catch (error) {
    throw entryError(input, entry, (error as Error).message, error);
  }
}

/** `invalid <input> entry "<entry>": <why>`. */
export function entryError(input: string, entry: string, why: string, cause?: unknown): InputError {
  return new InputError(
    input,
    `invalid ${input} entry "${entry}": ${why}`,
    cause === undefined ? undefined : { cause },
  );
}
