// Layout archives read in place: a zip from its central directory (deflated entries inflated as read), a tar or zip
// of the layout's folder read from that folder, and the bounds on what an archive may claim.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { gunzipArchive } from '../../../src/layout/gunzip-archive.js';
import { ArchiveLimitError, OciLayoutError } from '../../../src/layout/layout-errors.js';
import { openOciLayout } from '../../../src/layout/oci-layout.js';
import { parseManifest } from '../../../src/oci/manifest.js';
import { tarOf } from '../../../testkit/tar.js';
import { gzipBomb, layoutEntries, zipOf, type ArchiveEntry } from '../../support/layout-archives.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'layout-archives-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function written(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

const inFolder = (entries: ArchiveEntry[]): ArchiveEntry[] =>
  entries.map((entry) => ({ ...entry, name: `layout/${entry.name}` }));

/** Opens the layout and reads every blob its one image names, verified; returns the platform's architecture. */
async function readImage(path: string): Promise<string> {
  const layout = await openOciLayout(path);
  try {
    const index = parseManifest(await layout.index(), 'index.json');
    if (index.kind !== 'index') throw new Error('not an index');
    const image = parseManifest(await layout.manifest(index.index.manifests[0]?.digest ?? ''), 'manifest');
    if (image.kind !== 'image') throw new Error('not an image');
    const [layer] = image.manifest.layers;
    expect((await buffer(await layout.openBlob(layer!))).length).toBe(layer!.size);
    const config = JSON.parse(Buffer.from(await layout.readBlob(image.manifest.config, 1 << 20)).toString());
    return config.architecture;
  } finally {
    await layout.close();
  }
}

describe('layout archives read in place', () => {
  it.each([
    ['a zip of the layout', (e: ArchiveEntry[]) => zipOf(e)],
    ['a zip of its folder', (e: ArchiveEntry[]) => zipOf(inFolder(e))],
    ['a tar of its folder', (e: ArchiveEntry[]) => tarOf(inFolder(e))],
  ])('%s', async (name, archive) => {
    const path = await written(`${name.replace(/\W/g, '-')}.bin`, archive(layoutEntries('riscv64')));
    expect(await readImage(path)).toBe('riscv64');
  });
});

/**
 * A zip64 archive of `entries`, stored as is: every size and offset in the zip64 extra field and end record, the
 * 32-bit fields saturated, as zip tools write archives past 4 GiB or 65,535 entries.
 */
function zip64Of(entries: readonly ArchiveEntry[]): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, content } of entries) {
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(nameBytes.length, 26);
    const extra = Buffer.alloc(28);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(24, 2);
    extra.writeBigUInt64LE(BigInt(content.length), 4);
    extra.writeBigUInt64LE(BigInt(content.length), 12);
    extra.writeBigUInt64LE(BigInt(offset), 20);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(0xffffffff, 20);
    central.writeUInt32LE(0xffffffff, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(0xffffffff, 42);
    parts.push(local, nameBytes, Buffer.from(content));
    centrals.push(central, nameBytes, extra);
    offset += local.length + nameBytes.length + content.length;
  }
  const directory = Buffer.concat(centrals);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(BigInt(entries.length), 24);
  record.writeBigUInt64LE(BigInt(entries.length), 32);
  record.writeBigUInt64LE(BigInt(directory.length), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([...parts, directory, record, locator, end]);
}

describe('zip64', () => {
  it('reads a layout zip whose sizes, offsets and count are in zip64 fields', async () => {
    const path = await written('zip64.zip', zip64Of(layoutEntries('ppc64le')));
    expect(await readImage(path)).toBe('ppc64le');
  });
});

describe('archive bounds', () => {
  it('refuses a zip whose entries add up past the bound, before reading any', async () => {
    const path = await written(
      'declared.zip',
      zipOf(layoutEntries('amd64'), () => 2 ** 31),
    );
    const opening = openOciLayout(path);
    await expect(opening).rejects.toThrow(ArchiveLimitError);
    await expect(opening).rejects.toThrow(/declared\.zip: it unpacks to more than/);
  });

  it('stops a zip entry that inflates past the size its directory gives', async () => {
    const entries = layoutEntries('amd64').map((entry) =>
      entry.name === 'index.json'
        ? { ...entry, content: Buffer.concat([entry.content, Buffer.alloc(4096, 32)]) }
        : entry,
    );
    const path = await written(
      'lying.zip',
      zipOf(entries, (entry) => (entry.name === 'index.json' ? 10 : entry.content.length)),
    );
    await expect(openOciLayout(path)).rejects.toThrow(
      '"index.json" holds more bytes where the central directory says 10',
    );
  });

  it('says a zip it cannot read is not a layout zip', async () => {
    const zip = zipOf(layoutEntries('amd64'));
    const path = await written('truncated.zip', zip.subarray(0, zip.length - 10));
    await expect(openOciLayout(path)).rejects.toThrow(OciLayoutError);
    await expect(openOciLayout(path)).rejects.toThrow(
      /not a readable zip archive: no end of central directory/,
    );
  });

  it('stops decompressing a gzip bomb once past the bound for what was read, and refuses what is not gzip', async () => {
    const bomb = await written('bomb.tar.gz', gzipBomb(1024 ** 3));
    await expect(gunzipArchive(bomb, join(dir, 'bomb.tar'))).rejects.toThrow(ArchiveLimitError);
    const plain = await written('plain.tar.gz', tarOf(layoutEntries('amd64')));
    await expect(gunzipArchive(plain, join(dir, 'plain.tar'))).rejects.toThrow(/not gzip-compressed data/);
    const fine = await written('fine.tar.gz', gzipSync(tarOf(layoutEntries('s390x'))));
    await gunzipArchive(fine, join(dir, 'fine.tar'));
    expect(await readImage(join(dir, 'fine.tar'))).toBe('s390x');
  });
});
