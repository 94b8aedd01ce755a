// Every input the action can be given ends in a parsed request or a typed InputError-like failure (never a
// crash), and a credential written into an input never reaches the failure's message.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { describeError } from '../../../src/action/describe-error.js';
import { INPUT_NAMES, parseInputs, type RawInputs } from '../../../src/action/inputs.js';
import { ReportedError } from '../../../src/common/reported-error.js';
import { HOSTILE_FRAGMENTS, propertyParameters } from './settings.js';

const SECRET = 'SECRET';
const fragment = fc.oneof(
  fc.constantFrom(...HOSTILE_FRAGMENTS),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const hostileText = fc.array(fragment, { maxLength: 8 }).map((parts) => parts.join(''));
const plausibleRef = fc
  .tuple(
    fc.constantFrom('', 'user:SECRET@', 'linux/arm64='),
    fc.constantFrom('ghcr.io', 'localhost:5000', '127.0.0.1:1', 'docker.io', 'Registry.Test'),
    fc.constantFrom('/acme/app', '/a', '/UPPER', '/a//b', ''),
    fc.constantFrom(':1.0', `@sha256:${'b'.repeat(64)}`, ':', '@sha256:zz', ''),
  )
  .map((parts) => parts.join(''));
const inputText = fc.oneof(
  hostileText,
  plausibleRef,
  fc.array(plausibleRef, { maxLength: 3 }).map((l) => l.join('\n')),
);

/** What a working workflow gives: each field mostly this, sometimes hostile. */
const USUAL: Partial<RawInputs> = {
  sources: 'ghcr.io/acme/app:1.0-amd64\nlinux/arm64=ghcr.io/acme/app:1.0-arm64',
  tags: 'ghcr.io/acme/app:1.0',
  platforms: 'linux/amd64,linux/arm64',
  format: 'auto',
  annotations: 'index:org.opencontainers.image.title=app',
  timeout: '10m',
  'insecure-registries': 'localhost:5000',
};
const rawInputs = fc.record(
  Object.fromEntries(
    INPUT_NAMES.map((name) => [
      name,
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(USUAL[name] ?? '') },
        { weight: 1, arbitrary: fc.constant('') },
        { weight: 1, arbitrary: inputText },
      ),
    ]),
  ) as Record<keyof RawInputs, fc.Arbitrary<string>>,
);

describe('inputs, any text at all', () => {
  it('parse into a request or fail with a ReportedError whose message quotes no credential', () => {
    const tally = { parsed: 0, refused: 0 };
    fc.assert(
      fc.property(rawInputs, (raw) => {
        let error: unknown;
        try {
          parseInputs(raw);
        } catch (caught) {
          error = caught;
        }
        if (error === undefined) {
          tally.parsed += 1;
          return;
        }
        tally.refused += 1;
        expect(error).toBeInstanceOf(ReportedError);
        const { title, message } = describeError(error);
        expect(title).not.toBe('');
        expect(message).not.toMatch(new RegExp(`:${SECRET}@`));
      }),
      propertyParameters(600),
    );
    process.stdout.write(
      `property figures: ${tally.parsed + tally.refused} input sets, ${tally.parsed} parsed, ` +
        `${tally.refused} refused with a ReportedError, 0 credentials quoted\n`,
    );
  });
});
