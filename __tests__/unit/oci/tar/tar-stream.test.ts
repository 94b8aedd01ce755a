import { describe, expect, it } from '@jest/globals';
import { TarFormatError } from '../../../../src/oci/tar/tar-format-error.js';
import { absolutePath, readTarStream, type TarStreamEntry } from '../../../../src/oci/tar/tar-stream.js';
import { paxRecords, tarOf, type TarEntry } from '../../../../testkit/tar.js';

/** `bytes` as a stream of `chunk`-byte pieces. */
async function* chunks(bytes: Uint8Array, chunk: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += chunk) yield bytes.subarray(at, at + chunk);
}

/** Every entry, with the content each file's sink received. */
async function read(bytes: Uint8Array, chunk = 700): Promise<Array<TarStreamEntry & { content?: string }>> {
  const contents = new Map<string, Buffer>();
  const entries: Array<TarStreamEntry & { content?: string }> = [];
  for await (const entry of readTarStream(chunks(bytes, chunk), (e) => {
    const buffer = Buffer.alloc(e.size);
    contents.set(e.path, buffer);
    return { write: (part, offset) => buffer.set(part, offset) };
  })) {
    const content = contents.get(entry.path);
    entries.push(content === undefined ? entry : { ...entry, content: content.toString() });
  }
  return entries;
}

const text = (value: string): Uint8Array => Buffer.from(value);
const LONG = `opt/${'deep/'.repeat(40)}app`;

describe('readTarStream', () => {
  it('reads files, directories and links, names made absolute, content streamed to the sink', async () => {
    const entries: TarEntry[] = [
      { name: './usr/', content: new Uint8Array(), type: 'dir' },
      { name: './usr/bin/app', content: text('x'.repeat(1500)), mode: 0o755 },
      { name: 'bin', content: new Uint8Array(), type: 'symlink', linkName: 'usr/bin', mode: 0o777 },
      { name: 'usr/bin/app2', content: new Uint8Array(), type: 'hardlink', linkName: 'usr/bin/app' },
    ];
    expect(await read(tarOf(entries))).toEqual([
      { path: '/usr', kind: 'dir', mode: 0o755, size: 0, linkName: '' },
      {
        path: '/usr/bin/app',
        kind: 'file',
        mode: 0o755,
        size: 1500,
        linkName: '',
        content: 'x'.repeat(1500),
      },
      { path: '/bin', kind: 'symlink', mode: 0o777, size: 0, linkName: 'usr/bin' },
      { path: '/usr/bin/app2', kind: 'hardlink', mode: 0o644, size: 0, linkName: 'usr/bin/app' },
    ]);
  });

  it('takes the path, size and link target of a pax header, and a GNU long name', async () => {
    const entries: TarEntry[] = [
      { name: 'PaxHeader', content: paxRecords({ path: LONG, linkpath: `/${LONG}.real` }), type: 'pax' },
      { name: 'short', content: new Uint8Array(), type: 'symlink', linkName: 'ignored' },
      { name: '././@LongLink', content: text(`${LONG}2\0`), type: 'gnu-long-name' },
      { name: 'truncated-name', content: text('hi') },
    ];
    const read1 = await read(tarOf(entries));
    expect(read1.map(({ path, linkName }) => [path, linkName])).toEqual([
      [`/${LONG}`, `/${LONG}.real`],
      [`/${LONG}2`, ''],
    ]);
  });

  it('stops reading the source when the reader stops', async () => {
    const archive = tarOf([
      { name: 'a', content: text('a') },
      { name: 'b', content: text('b') },
    ]);
    let pulled = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const part of chunks(archive, 512)) {
        pulled++;
        yield part;
      }
    }
    for await (const entry of readTarStream(counted(), () => undefined)) {
      expect(entry.path).toBe('/a');
      break;
    }
    expect(pulled).toBe(2);
  });

  it.each([
    [
      'an archive cut inside a file',
      tarOf([{ name: 'a', content: text('x'.repeat(2000)) }]).subarray(0, 1024),
    ],
    ['an archive cut inside a header', tarOf([{ name: 'a', content: text('x') }]).subarray(0, 100)],
    ['bytes that are no tar', Buffer.alloc(512, 'not a tar ')],
  ])('refuses %s', async (_label, bytes) => {
    await expect(read(bytes)).rejects.toBeInstanceOf(TarFormatError);
  });

  it.each([
    ['./a/b/', '/a/b'],
    ['a//b', '/a/b'],
    ['/a/./b', '/a/b'],
    ['../../etc/passwd', '/etc/passwd'],
    ['.', '/'],
  ])('absolutePath(%j) is %j', (name, path) => {
    expect(absolutePath(name)).toBe(path);
  });
});
