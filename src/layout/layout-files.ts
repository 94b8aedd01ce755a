import { OciLayoutError } from './layout-errors.js';

/** A regular file of a layout, found by name; its size is what the directory or the tar header says. */
export interface LayoutFile {
  readonly size: number;
  /** Exactly `size` bytes. */
  read(): Promise<Uint8Array>;
  /** Exactly `size` bytes, streamed from disk. */
  stream(): NodeJS.ReadableStream;
}

/** The files of a layout, wherever they are stored (a directory, a tar). */
export interface LayoutFiles {
  /** The regular file at `name` (slash-separated, relative to the layout root), or undefined when there is none. */
  find(name: string): LayoutFile | undefined;
  close(): Promise<void>;
}

/** The whole of `file`, refused unread when it is larger than `maxBytes`; `what` names it in the message. */
export async function readCapped(file: LayoutFile, maxBytes: number, what: string): Promise<Uint8Array> {
  if (file.size > maxBytes) {
    throw new OciLayoutError(`${what} is ${file.size} bytes, more than the ${maxBytes} allowed`);
  }
  return file.read();
}
