/** A JSON value whose objects keep exactly the key order they are given. */
export type OrderedJson = string | number | OrderedJson[] | OrderedObject;

/**
 * A JSON object as an explicit list of entries. Plain JS objects cannot be used: they enumerate
 * integer-like keys ("9", "10") first, whatever order they were inserted in.
 */
export interface OrderedObject {
  readonly entries: readonly (readonly [string, OrderedJson])[];
}

/** Serializes like `JSON.stringify(value, null, 2)`, but with the entry order of every object kept. */
export function stringifyOrdered(value: OrderedJson, indent = ''): string {
  if (typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  const [open, close, lines] = Array.isArray(value)
    ? ['[', ']', value.map((item) => inner + stringifyOrdered(item, inner))]
    : [
        '{',
        '}',
        value.entries.map(
          ([key, item]) => `${inner}${JSON.stringify(key)}: ${stringifyOrdered(item, inner)}`,
        ),
      ];
  return lines.length === 0 ? open + close : `${open}\n${lines.join(',\n')}\n${indent}${close}`;
}
