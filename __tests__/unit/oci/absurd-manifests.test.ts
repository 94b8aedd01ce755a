import { describe, expect, it } from '@jest/globals';
import { sha256Digest } from '../../../src/oci/digest.js';
import { InvalidManifestError, InvalidPlatformError } from '../../../src/oci/oci-error.js';
import { MAX_JSON_DEPTH, jsonDepth } from '../../../src/oci/json-fields.js';
import { MAX_DESCRIPTORS, parseManifest, platformFromConfig } from '../../../src/oci/manifest.js';
import { MediaType } from '../../../src/oci/media-types.js';

const WHAT = 'ghcr.io/acme/app:1.0';
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const raw = (mediaType: string, text: string) => {
  const bytes = encode(text);
  return { mediaType, bytes, digest: sha256Digest(bytes) };
};
const layer = (i: number) => ({
  mediaType: MediaType.OciLayerGzip,
  digest: `sha256:${i.toString(16).padStart(64, '0')}`,
  size: 1,
});
const config = { mediaType: MediaType.OciConfig, digest: `sha256:${'c'.repeat(64)}`, size: 2 };
const image = (layers: number) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config,
    layers: Array.from({ length: layers }, (_, i) => layer(i)),
  });
const nested = (depth: number, open = '[', close = ']') =>
  `{"schemaVersion":2,"annotations":${open.repeat(depth)}${close.repeat(depth)}}`;

describe('jsonDepth', () => {
  it.each([
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['{"a":"[[[[[[[["}', 1],
    ['{"a":"\\"[[[["}', 1],
    ['[[[]],[]]', 3],
    ['', 0],
  ])('%s is %i deep', (text, depth) => {
    expect(jsonDepth(encode(text), 100)).toBe(depth);
  });

  it('stops counting past the bound', () => {
    expect(jsonDepth(encode('['.repeat(1_000_000)), 64)).toBe(65);
  });
});

describe('absurd manifests fail fast, naming the source', () => {
  it.each([
    ['a million nested arrays', raw(MediaType.OciManifest, nested(1_000_000)), /nested deeper than 64/],
    ['a million nested objects', raw(MediaType.OciIndex, nested(1_000_000, '{"a":', '}')), /nested deeper/],
    ['50,000 layers', raw(MediaType.OciManifest, image(50_000)), /"layers" has 50000 entries/],
  ])('%s', (_name, manifest, problem) => {
    let error: unknown;
    try {
      parseManifest(manifest, WHAT);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidManifestError);
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toContain(WHAT);
  });

  it('accepts the caps themselves', () => {
    expect(() => parseManifest(raw(MediaType.OciManifest, image(MAX_DESCRIPTORS)), WHAT)).not.toThrow();
    const deep = `{"schemaVersion":2,"mediaType":"${MediaType.OciManifest}","config":${JSON.stringify(config)},"layers":[],"annotations":{},"x":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`;
    expect(() => parseManifest(raw(MediaType.OciManifest, deep), WHAT)).not.toThrow();
  });

  it('a config nested a million deep is refused as such', () => {
    const parse = () => platformFromConfig(encode(nested(1_000_000)), 'config of ' + WHAT);
    expect(parse).toThrow(InvalidPlatformError);
    expect(parse).toThrow(/nested deeper than 64 levels/);
  });
});
