import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, promises as streams } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { checkUnpackedSize } from './archive-limits.js';
import { ArchiveLimitError, OciLayoutError } from './layout-errors.js';

/**
 * Decompresses the gzip file at `source` into `dest` in this process (no tar or gzip program, so nothing another
 * program prints reaches the log), stopping as soon as it unpacks past the bound for what has been read of it.
 */
export async function gunzipArchive(source: string, dest: string): Promise<void> {
  let compressed = 0;
  let unpacked = 0;
  const countRead = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      compressed += chunk.length;
      done(null, chunk);
    },
  });
  const bound = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      unpacked += chunk.length;
      try {
        checkUnpackedSize(unpacked, compressed);
        done(null, chunk);
      } catch (error) {
        done(error as Error);
      }
    },
  });
  try {
    await streams.pipeline(
      createReadStream(source),
      countRead,
      createGunzip(),
      bound,
      createWriteStream(dest),
    );
  } catch (error) {
    if (error instanceof ArchiveLimitError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) {
      throw new OciLayoutError(`not gzip-compressed data: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}
