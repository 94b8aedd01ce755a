/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** Raises the caller's error for a problem found at a field; never returns. */
export type Fail = (problem: string, cause?: unknown) => never;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const SHOWN_VALUE_LENGTH = 60;
/**
 * Real manifests and configs nest a handful of levels; past this the document is hostile, and the recursive
 * steps that follow parsing (rendering a bad value, copying) would exhaust the stack.
 */
export const MAX_JSON_DEPTH = 64;

/** Decodes UTF-8 JSON bytes that must hold an object, nested at most MAX_JSON_DEPTH deep. */
export function parseJsonObject(bytes: Uint8Array, fail: Fail): JsonObject {
  const depth = jsonDepth(bytes, MAX_JSON_DEPTH);
  if (depth > MAX_JSON_DEPTH) return fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch (error) {
    return fail(`not valid UTF-8 JSON (${(error as Error).message})`, error);
  }
  return asObject(value, 'document', fail);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/**
 * The deepest nesting of arrays and objects in JSON bytes, counted up to `stopAbove + 1` (a cheap scan that
 * needs no parse: brackets inside strings are skipped). Malformed JSON is left for the parser to name.
 */
export function jsonDepth(bytes: Uint8Array, stopAbove: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let escaped = false;
  for (const byte of bytes) {
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (OPENERS.has(byte)) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > stopAbove) return deepest;
    } else if (CLOSERS.has(byte)) {
      depth -= 1;
    }
  }
  return deepest;
}

/** `value` as an object, else fails naming `label`. */
export function asObject(value: unknown, label: string, fail: Fail): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`${label} must be a JSON object, got ${show(value)}`);
  }
  return value as JsonObject;
}

/** The path of `key` inside the object at `parent` (`manifests[0].size`). */
export function fieldLabel(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** A required non-empty string field. */
export function requiredString(obj: JsonObject, key: string, parent: string, fail: Fail): string {
  const value = obj[key];
  if (typeof value !== 'string' || value === '') {
    return fail(`"${fieldLabel(parent, key)}" must be a non-empty string, got ${show(value)}`);
  }
  return value;
}

/** An optional string field; absent (or null) gives undefined. */
export function optionalString(obj: JsonObject, key: string, parent: string, fail: Fail): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    return fail(`"${fieldLabel(parent, key)}" must be a string, got ${show(value)}`);
  return value;
}

/** A required object field. */
export function requiredObject(obj: JsonObject, key: string, parent: string, fail: Fail): JsonObject {
  return asObject(obj[key], `"${fieldLabel(parent, key)}"`, fail);
}

/** An optional object field; absent (or null) gives undefined. */
export function optionalObject(
  obj: JsonObject,
  key: string,
  parent: string,
  fail: Fail,
): JsonObject | undefined {
  const value = obj[key];
  return value === undefined || value === null ? undefined : requiredObject(obj, key, parent, fail);
}

/** A required array field. */
export function requiredArray(obj: JsonObject, key: string, parent: string, fail: Fail): unknown[] {
  const value = obj[key];
  if (!Array.isArray(value)) return fail(`"${fieldLabel(parent, key)}" must be an array, got ${show(value)}`);
  return value;
}

/** An optional array of strings. */
export function optionalStringArray(
  obj: JsonObject,
  key: string,
  parent: string,
  fail: Fail,
): string[] | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    return fail(`"${fieldLabel(parent, key)}" must be an array of strings, got ${show(value)}`);
  }
  return value as string[];
}

/** An optional string-to-string map (annotations). */
export function optionalStringMap(
  obj: JsonObject,
  key: string,
  parent: string,
  fail: Fail,
): Record<string, string> | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  const label = fieldLabel(parent, key);
  const map = asObject(value, `"${label}"`, fail);
  for (const [name, entry] of Object.entries(map)) {
    if (typeof entry !== 'string') return fail(`"${label}.${name}" must be a string, got ${show(entry)}`);
  }
  return map as Record<string, string>;
}

/** A short JSON rendering of a bad value for error messages. */
export function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > SHOWN_VALUE_LENGTH ? `${text.slice(0, SHOWN_VALUE_LENGTH)}…` : text;
}
