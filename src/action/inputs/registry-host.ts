import { entryError } from './list.js';

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const HOST_PORT = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[A-Fa-f0-9:.]+\\])(?::(\\d{1,5}))?$`);
const MAX_PORT = 65535;

/** Validates one registry host (an `insecure-registries` entry, `registry`): `host[:port]`, no scheme or path. */
export function parseRegistryHost(
  entry: string,
  input: 'insecure-registries' | 'registry' = 'insecure-registries',
): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(entry);
  if (scheme)
    throw entryError(
      input,
      entry,
      `drop the scheme "${scheme[0]}": expected host[:port], e.g. "registry.local:5000"`,
    );
  const match = HOST_PORT.exec(entry);
  const port = match?.[1];
  if (!match || (port !== undefined && (Number(port) < 1 || Number(port) > MAX_PORT))) {
    throw entryError(
      input,
      entry,
      'expected host[:port] with a port from 1 to 65535, e.g. "registry.local:5000"',
    );
  }
  return entry;
}
