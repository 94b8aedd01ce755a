import { describe, expect, it } from '@jest/globals';
import { readDigestFileName } from '../../../../src/action/inputs/digest-names.js';

const HEX = 'a1'.repeat(32);

describe('readDigestFileName', () => {
  it.each([HEX, `sha256:${HEX}`, `sha256-${HEX}`, HEX.toUpperCase()])('reads %s as a digest', (name) => {
    expect(readDigestFileName(name)).toEqual({ kind: 'digest', digest: `sha256:${HEX}` });
  });

  it.each(['.keep', `.${HEX}`])('hides %s', (name) => {
    expect(readDigestFileName(name)).toEqual({ kind: 'hidden' });
  });

  it.each(['README.md', 'digests.txt', 'cafe', 'added'])('passes over %s', (name) => {
    expect(readDigestFileName(name)).toEqual({ kind: 'other' });
  });

  it.each([
    [HEX.slice(1), '63 hex characters'],
    [`${HEX}0`, '65 hex characters'],
    [`sha256:${HEX.slice(0, 12)}`, '12 hex characters'],
    [`sha256-${HEX.slice(1)}z`, 'characters other than hex'],
  ])('calls %s a broken digest', (name, why) => {
    const read = readDigestFileName(name);
    expect(read.kind).toBe('broken');
    expect(read.kind === 'broken' && read.why).toContain(why);
  });
});
