import { describe, expect, it } from '@jest/globals';
import { type OrderedJson, stringifyOrdered } from '../../../src/oci/ordered-json.js';

describe('stringifyOrdered', () => {
  it.each<[string, OrderedJson, string]>([
    ['a string', 'a "quoted" ü\n', '"a \\"quoted\\" ü\\n"'],
    ['a number', 42, '42'],
    ['an empty array', [], '[]'],
    ['an empty object', { entries: [] }, '{}'],
    ['an array', ['a', 1], '[\n  "a",\n  1\n]'],
    [
      'an object',
      {
        entries: [
          ['b', 1],
          ['a', 'x'],
        ],
      },
      '{\n  "b": 1,\n  "a": "x"\n}',
    ],
    // A plain object would put "10" and "9" first, in numeric order.
    [
      'integer-like keys in the given order',
      {
        entries: [
          ['b', 1],
          ['9', 2],
          ['10', 3],
        ],
      },
      '{\n  "b": 1,\n  "9": 2,\n  "10": 3\n}',
    ],
    [
      'nesting',
      {
        entries: [
          ['list', [{ entries: [['k', []]] }]],
          ['o', { entries: [] }],
        ],
      },
      '{\n  "list": [\n    {\n      "k": []\n    }\n  ],\n  "o": {}\n}',
    ],
  ])('%s', (_name, value, expected) => {
    expect(stringifyOrdered(value)).toBe(expected);
  });
});
