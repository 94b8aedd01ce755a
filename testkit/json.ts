/** Compact JSON as UTF-8 bytes: what the harness hashes and pushes. */
export function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

/** Parses UTF-8 JSON bytes, e.g. a manifest or config blob read back from a registry. */
export function parseJsonBytes<T = Record<string, unknown>>(bytes: Uint8Array): T {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}
