import { InputError } from '../input-error.js';

// YAML 1.2 core schema booleans, as core.getBooleanInput accepts them.
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/** A boolean input; empty means `fallback` (a workflow expression that evaluated to nothing). */
export function parseBoolean(input: string, text: string, fallback: boolean): boolean {
  if (text === '') return fallback;
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  throw new InputError(
    input,
    `invalid ${input} "${text}": expected true or false (also True, TRUE, False, FALSE)`,
  );
}

/** One of `choices`, case-insensitively; empty means `fallback`. */
export function parseChoice<T extends string>(
  input: string,
  text: string,
  choices: readonly T[],
  fallback: T,
): T {
  if (text === '') return fallback;
  const choice = choices.find((candidate) => candidate === text.toLowerCase());
  if (choice === undefined) {
    throw new InputError(input, `invalid ${input} "${text}": expected one of ${choices.join(', ')}`);
  }
  return choice;
}
