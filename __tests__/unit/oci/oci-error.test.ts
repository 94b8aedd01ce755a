import { describe, expect, it } from '@jest/globals';
import {
  IndexBuildError,
  InvalidDigestError,
  InvalidManifestError,
  InvalidPlatformError,
  InvalidReferenceError,
  OciError,
  UnsupportedMediaTypeError,
} from '../../../src/oci/oci-error.js';

describe('OCI errors', () => {
  it.each([
    ['OciError', OciError],
    ['InvalidReferenceError', InvalidReferenceError],
    ['InvalidDigestError', InvalidDigestError],
    ['InvalidPlatformError', InvalidPlatformError],
    ['InvalidManifestError', InvalidManifestError],
    ['UnsupportedMediaTypeError', UnsupportedMediaTypeError],
    ['IndexBuildError', IndexBuildError],
  ])('%s sets its name, keeps message and cause, and is an OciError', (name, ErrorClass) => {
    const cause = new Error('underlying');
    const error = new ErrorClass('bad "input": expected something', { cause });
    expect(error).toBeInstanceOf(OciError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.message).toBe('bad "input": expected something');
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe(`${name}: bad "input": expected something`);
  });

  it('leaves cause unset when none is given', () => {
    expect(new InvalidDigestError('x')).not.toHaveProperty('cause');
  });
});
