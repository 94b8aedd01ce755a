import { describe, expect, it } from '@jest/globals';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDigester } from '../../../src/oci/digest.js';
import { VerifyingStream } from '../../../src/registry/content/verify-content.js';
import { noteStreamedBytes } from '../../../src/runtime/read-buffer-reclaim.js';

const CHUNK_BYTES = 64 * 1024;
const TOTAL_BYTES = 192 * 1024 * 1024;
// V8 on its own lets about 64 MiB of dead buffers pile up before collecting them.
const MAX_DEAD_BYTES = 32 * 1024 * 1024;

describe('a streamed copy with the read-buffer reclaim hooked in', () => {
  it('does not let the buffers it has passed on pile up', async () => {
    // Like socket reads: a fresh buffer per chunk, dead once passed on.
    const chunk = Buffer.alloc(CHUNK_BYTES, 0x5a);
    const digester = createDigester();
    for (let sent = 0; sent < TOTAL_BYTES; sent += CHUNK_BYTES) digester.update(chunk);
    const expected = { digest: digester.digest(), size: TOTAL_BYTES };
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    function* reads(): Generator<Buffer> {
      for (let sent = 0; sent < TOTAL_BYTES; sent += CHUNK_BYTES) {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers);
        yield Buffer.from(chunk);
      }
    }

    await pipeline(
      Readable.from(reads()),
      new VerifyingStream(expected, 'copy blob', noteStreamedBytes),
      new Writable({ write: (_chunk, _encoding, done) => done() }),
    );

    expect(peak - before).toBeLessThan(MAX_DEAD_BYTES);
  });
});
