import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../../src/action/input-error.js';
import { parseDuration } from '../../../../src/action/inputs/duration.js';

const FALLBACK = 600_000;

describe('parseDuration', () => {
  it.each([
    ['', FALLBACK],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h 30m', 5_400_000],
    ['500ms', 500],
    ['5S', 5_000],
    ['72h', 259_200_000],
  ])('reads "%s" as %i ms', (text, ms) => {
    expect(parseDuration('timeout', text, FALLBACK)).toBe(ms);
  });

  it.each([
    ['90', /expected a duration such as 90s/],
    ['10 minutes', /expected a duration/],
    ['-5s', /expected a duration/],
    ['1.5h', /expected a duration/],
    ['s', /expected a duration/],
    ['0s', /longer than zero/],
    ['73h', /at most 72h/],
  ])('refuses "%s", naming the input', (text, problem) => {
    const parse = () => parseDuration('timeout', text, FALLBACK);
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(problem);
    expect(parse).toThrow(`invalid timeout "${text}"`);
  });
});
