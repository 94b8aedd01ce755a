// OCI layouts as archive bytes, built in memory, so adversarial archives (hostile member names, bombs) are exactly
// what a test says: a layout's entries, a tar or zip of them, and gzip members that unpack to far more.
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { sha256Digest } from '../../testkit/digest.js';
import { imageManifest, imageParts } from '../../testkit/images.js';
import { jsonBytes } from '../../testkit/json.js';
import { MEDIA_TYPES } from '../../testkit/media-types.js';
import { tarOf, type TarEntry } from '../../testkit/tar.js';

export interface ArchiveEntry {
  name: string;
  content: Uint8Array;
}

/** The files of an OCI layout holding one linux/`architecture` image, tagged `architecture` in index.json. */
export function layoutEntries(architecture: string): ArchiveEntry[] {
  const parts = imageParts({ architecture });
  const blob = (content: Uint8Array) => ({ digest: sha256Digest(content), size: content.length, content });
  const config = blob(parts.config);
  const layer = blob(parts.layer);
  const manifest = blob(jsonBytes(imageManifest(parts, config, layer)));
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: [
      {
        mediaType: MEDIA_TYPES.ociManifest,
        digest: manifest.digest,
        size: manifest.size,
        annotations: { 'org.opencontainers.image.ref.name': architecture },
      },
    ],
  };
  return [
    { name: 'oci-layout', content: jsonBytes({ imageLayoutVersion: '1.0.0' }) },
    { name: 'index.json', content: jsonBytes(index) },
    ...[config, layer, manifest].map(({ digest, content }) => ({
      name: `blobs/sha256/${digest.slice('sha256:'.length)}`,
      content,
    })),
  ];
}

export function tarGzOf(entries: readonly ArchiveEntry[]): Uint8Array {
  return gzipSync(tarOf(entries.map((entry): TarEntry => ({ ...entry }))));
}

/** A zip of `entries`, each deflated, with UTF-8 names (APPNOTE 4.4.4 bit 11), and nothing else. */
export function zipOf(
  entries: readonly ArchiveEntry[],
  declaredSize?: (entry: ArchiveEntry) => number,
): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = deflateRawSync(entry.content);
    const size = declaredSize?.(entry) ?? entry.content.length;
    const crc = crc32(entry.content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * A .tar.gz whose one file claims `unpackedBytes` of zeros: a tar header, then gzip members of 64 MiB of zeros
 * each, concatenated (gzip allows several members; each is about 64 KiB), so a few MiB unpack to gigabytes.
 */
export function gzipBomb(unpackedBytes: number): Buffer {
  const chunk = 64 * 1024 * 1024;
  const header = tarOf([
    { name: 'blobs/sha256/zeros', content: new Uint8Array(0), sizeField: unpackedBytes },
  ]);
  const member = gzipSync(Buffer.alloc(chunk), { level: 9 });
  const members = Math.ceil(unpackedBytes / chunk);
  // The header block only: tarOf ends with two zero blocks, which stand here for the first zeros of the file.
  return Buffer.concat([gzipSync(header.subarray(0, 512)), ...Array.from({ length: members }, () => member)]);
}
