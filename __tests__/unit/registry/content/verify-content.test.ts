import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sha256Digest } from '../../../../src/oci/digest.js';
import { InvalidDigestError } from '../../../../src/oci/oci-error.js';
import { VerifyingStream, verifyContent } from '../../../../src/registry/content/verify-content.js';

const CONTENT = Buffer.from('the expected content');
const EXPECTED = { digest: sha256Digest(CONTENT), size: CONTENT.byteLength };
const OTHER = Buffer.from('the EXPECTED content');

const REJECTED: Array<[string, Buffer, string]> = [
  [
    'other bytes of the same size',
    OTHER,
    `content has digest ${sha256Digest(OTHER)}, expected ${EXPECTED.digest}`,
  ],
  [
    'fewer bytes',
    CONTENT.subarray(1),
    `received ${CONTENT.byteLength - 1} bytes, expected ${CONTENT.byteLength}`,
  ],
  [
    'more bytes',
    Buffer.concat([CONTENT, Buffer.from('!')]),
    `bytes, expected ${CONTENT.byteLength} (${EXPECTED.digest})`,
  ],
  ['no bytes', Buffer.alloc(0), `received 0 bytes, expected ${CONTENT.byteLength}`],
];

/** Streams `bytes` in 3-byte chunks through a VerifyingStream; returns what came out, or the stream's failure. */
async function streamThrough(bytes: Buffer): Promise<{ out: Buffer; failure?: unknown; kept?: unknown }> {
  const chunks = Array.from({ length: Math.ceil(bytes.byteLength / 3) }, (_, i) =>
    bytes.subarray(i * 3, i * 3 + 3),
  );
  const verifier = new VerifyingStream(EXPECTED, 'copy blob');
  const out: Buffer[] = [];
  try {
    await pipeline(Readable.from(chunks), verifier, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) out.push(chunk);
    });
    return { out: Buffer.concat(out) };
  } catch (failure) {
    return { out: Buffer.concat(out), failure, kept: verifier.failure };
  }
}

describe('verifyContent', () => {
  it('accepts exactly the described bytes', () => {
    expect(() => verifyContent(CONTENT, EXPECTED, 'read blob')).not.toThrow();
  });

  it.each(REJECTED)('refuses %s', (_case, bytes, problem) => {
    const verifying = () => verifyContent(bytes, EXPECTED, 'read blob');

    expect(verifying).toThrow(InvalidDigestError);
    expect(verifying).toThrow(/^failed to read blob: /);
    expect(verifying).toThrow(problem);
  });
});

describe('VerifyingStream', () => {
  it('passes exactly the described bytes through unchanged', async () => {
    const { out, failure } = await streamThrough(CONTENT);

    expect(failure).toBeUndefined();
    expect(out.equals(CONTENT)).toBe(true);
  });

  it.each(REJECTED)('fails on %s, and keeps the failure', async (_case, bytes, problem) => {
    const { failure, kept } = await streamThrough(bytes);

    expect(failure).toBeInstanceOf(InvalidDigestError);
    expect((failure as Error).message).toContain(`failed to copy blob: `);
    expect((failure as Error).message).toContain(problem);
    expect(kept).toBe(failure);
  });

  it('stops passing bytes on as soon as they exceed the size', async () => {
    const { out, failure } = await streamThrough(Buffer.concat([CONTENT, Buffer.alloc(30, 0x21)]));

    expect(failure).toBeInstanceOf(InvalidDigestError);
    expect(out.byteLength).toBeLessThanOrEqual(CONTENT.byteLength);
  });
});
