import { ReportedError } from '../common/reported-error.js';
/** An input the action cannot use; raised before any network request. */
export class InputError extends ReportedError {
  readonly title = 'Invalid input';
  override name = 'InputError';

  constructor(
    /** The action.yml name of the offending input. */
    readonly input: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
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
