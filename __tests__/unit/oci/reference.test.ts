import { describe, expect, it } from '@jest/globals';
import { InvalidReferenceError } from '../../../src/oci/oci-error.js';
import {
  type Reference,
  formatReference,
  formatRepository,
  isLoopbackRegistry,
  manifestIdentifier,
  parseReference,
  registryApiHost,
  registryCredentialsKey,
  sameRepository,
} from '../../../src/oci/reference.js';

const HEX = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const DIGEST = `sha256:${HEX}` as const;
const PATH_255 = `${'a'.repeat(127)}/${'b'.repeat(127)}`;
const TAG_128 = `v${'1'.repeat(127)}`;

describe('parseReference accepts', () => {
  it.each<[string, Reference]>([
    ['alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['alpine:3.20', { registry: 'docker.io', repository: 'library/alpine', tag: '3.20' }],
    ['docker.io/alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['docker.io/library/alpine', { registry: 'docker.io', repository: 'library/alpine' }],
    ['index.docker.io/alpine:edge', { registry: 'docker.io', repository: 'library/alpine', tag: 'edge' }],
    ['index.docker.io/acme/app', { registry: 'docker.io', repository: 'acme/app' }],
    ['acme/app', { registry: 'docker.io', repository: 'acme/app' }],
    ['registry/app', { registry: 'docker.io', repository: 'registry/app' }],
    ['ghcr.io/acme/app:1.0', { registry: 'ghcr.io', repository: 'acme/app', tag: '1.0' }],
    ['ghcr.io/acme/team/app', { registry: 'ghcr.io', repository: 'acme/team/app' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['localhost:5000/app:v1', { registry: 'localhost:5000', repository: 'app', tag: 'v1' }],
    ['127.0.0.1:5000/acme/app', { registry: '127.0.0.1:5000', repository: 'acme/app' }],
    ['[::1]:5000/app:tag', { registry: '[::1]:5000', repository: 'app', tag: 'tag' }],
    ['[::1]/app', { registry: '[::1]', repository: 'app' }],
    ['[2001:db8::1]:443/app', { registry: '[2001:db8::1]:443', repository: 'app' }],
    ['Registry.Example.com/app', { registry: 'Registry.Example.com', repository: 'app' }],
    ['Registry/app', { registry: 'Registry', repository: 'app' }],
    ['example.com:443/a/b/c', { registry: 'example.com:443', repository: 'a/b/c' }],
    ['my-registry.example.com/app', { registry: 'my-registry.example.com', repository: 'app' }],
    ['ghcr.io/a_b/c__d/e-f---g/h.i', { registry: 'ghcr.io', repository: 'a_b/c__d/e-f---g/h.i' }],
    ['ghcr.io/acme/app:_tag', { registry: 'ghcr.io', repository: 'acme/app', tag: '_tag' }],
    ['ghcr.io/acme/app:1.0-rc.1_B', { registry: 'ghcr.io', repository: 'acme/app', tag: '1.0-rc.1_B' }],
    [`ghcr.io/acme/app:${TAG_128}`, { registry: 'ghcr.io', repository: 'acme/app', tag: TAG_128 }],
    [`ghcr.io/${PATH_255}`, { registry: 'ghcr.io', repository: PATH_255 }],
    [`ghcr.io/acme/app@${DIGEST}`, { registry: 'ghcr.io', repository: 'acme/app', digest: DIGEST }],
    [
      `ghcr.io/acme/app:1.0@${DIGEST}`,
      { registry: 'ghcr.io', repository: 'acme/app', tag: '1.0', digest: DIGEST },
    ],
    [`alpine@${DIGEST}`, { registry: 'docker.io', repository: 'library/alpine', digest: DIGEST }],
    [
      'app:3f2a9c1e0b7d4a6f8e2c5b1a9d7e3f0c4b8a6d2e',
      { registry: 'docker.io', repository: 'library/app', tag: '3f2a9c1e0b7d4a6f8e2c5b1a9d7e3f0c4b8a6d2e' },
    ],
    // distribution's documented quirk: without a "/", "localhost:5000" is Docker Hub's "localhost" tagged 5000.
    ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }],
  ])('%s', (input, expected) => {
    expect(parseReference(input)).toStrictEqual(expected);
  });
});

describe('parseReference rejects', () => {
  it.each([
    ['', 'empty'],
    [DIGEST, 'a bare digest is only accepted in `sources`'],
    [`sha512:${HEX}${HEX}`, 'a bare digest is only accepted in `sources`'],
    ['sha256:abc', 'a bare digest is only accepted in `sources`'],
    [HEX, 'a bare 64-character hex string is an image ID'],
    ['Ghcr.io/Acme', 'repository name must be lowercase ("Acme")'],
    ['ghcr.io/Acme/app:1.0', 'repository name must be lowercase ("Acme/app")'],
    ['ALPINE', 'repository name must be lowercase'],
    ['docker.io/Acme/app', 'repository name must be lowercase'],
    ['ghcr.io/acme/app:', 'bad tag ""'],
    ['ghcr.io/acme/app:.x', 'bad tag ".x"'],
    ['ghcr.io/acme/app:-x', 'bad tag "-x"'],
    ['ghcr.io/acme/app:1.0 ', 'bad tag "1.0 "'],
    ['ghcr.io/acme/app:a+b', 'bad tag "a+b"'],
    [`ghcr.io/acme/app:${TAG_128}x`, 'up to 128 letters'],
    ['ghcr.io/acme/app@sha256:abc', 'invalid digest "sha256:abc": 3 hex characters instead of 64'],
    [`ghcr.io/acme/app@sha512:${HEX}${HEX}`, 'only sha256 is supported'],
    [`ghcr.io/acme/app@sha256:${HEX.toUpperCase()}`, 'hex must be lowercase'],
    ['ghcr.io/acme/app@', 'invalid digest "": missing algorithm'],
    [`ghcr.io/acme/app@${DIGEST}@${DIGEST}`, `invalid digest "${DIGEST}@${DIGEST}"`],
    [`@${DIGEST}`, 'missing repository name'],
    [':1.0', 'missing repository name'],
    ['ghcr.io//app', 'bad path component ""'],
    ['ghcr.io/acme/', 'bad path component ""'],
    ['ghcr.io/', 'bad path component ""'],
    ['ghcr.io/-acme/app', 'bad path component "-acme"'],
    ['ghcr.io/acme./app', 'bad path component "acme."'],
    ['ghcr.io/a..b', 'bad path component "a..b"'],
    ['ghcr.io/a___b', 'bad path component "a___b"'],
    ['ghcr.io/a b', 'bad path component "a b"'],
    [' alpine', 'bad path component " alpine"'],
    ['-bad.io/app', 'bad registry host "-bad.io"'],
    ['ghcr.io:http/app', 'bad registry host "ghcr.io:http"'],
    ['[::1/app', 'bad registry host "[::1"'],
    ['reg_istry.io/app', 'bad registry host "reg_istry.io"'],
    [`ghcr.io/${PATH_255}b`, 'repository path is 256 characters, at most 255'],
  ])('%j: %s', (input, reason) => {
    const attempt = (): unknown => parseReference(input);
    expect(attempt).toThrow(InvalidReferenceError);
    expect(attempt).toThrow(`invalid reference "${input}": `);
    expect(attempt).toThrow(reason);
    expect(attempt).toThrow(/[;,] expected (\[REGISTRY\/\]REPOSITORY\[:TAG\]\[@sha256:DIGEST\]|"sha256:")/);
  });

  it('keeps the digest error as the cause', () => {
    expect(() => parseReference('ghcr.io/acme/app@sha256:abc')).toThrow(
      expect.objectContaining({ cause: expect.objectContaining({ name: 'InvalidDigestError' }) }),
    );
  });
});

describe('formatReference and formatRepository', () => {
  it.each<[Reference, string, string]>([
    [
      { registry: 'docker.io', repository: 'library/alpine' },
      'docker.io/library/alpine',
      'docker.io/library/alpine',
    ],
    [{ registry: 'ghcr.io', repository: 'acme/app', tag: '1.0' }, 'ghcr.io/acme/app:1.0', 'ghcr.io/acme/app'],
    [
      { registry: '[::1]:5000', repository: 'app', digest: DIGEST },
      `[::1]:5000/app@${DIGEST}`,
      '[::1]:5000/app',
    ],
    [
      { registry: 'localhost:5000', repository: 'a/b', tag: 'v1', digest: DIGEST },
      `localhost:5000/a/b:v1@${DIGEST}`,
      'localhost:5000/a/b',
    ],
  ])('%j → %s', (ref, reference, repository) => {
    expect(formatReference(ref)).toBe(reference);
    expect(formatRepository(ref)).toBe(repository);
    expect(parseReference(reference)).toStrictEqual(ref);
  });

  it.each([
    ['alpine', 'docker.io/library/alpine'],
    ['index.docker.io/acme/app:1', 'docker.io/acme/app:1'],
    [`localhost:5000/app:1@${DIGEST}`, `localhost:5000/app:1@${DIGEST}`],
  ])('normalizes %s to %s', (input, expected) => {
    expect(formatReference(parseReference(input))).toBe(expected);
  });
});

describe('manifestIdentifier', () => {
  it.each<[Reference, string]>([
    [{ registry: 'ghcr.io', repository: 'app', tag: '1.0', digest: DIGEST }, DIGEST],
    [{ registry: 'ghcr.io', repository: 'app', digest: DIGEST }, DIGEST],
    [{ registry: 'ghcr.io', repository: 'app', tag: '1.0' }, '1.0'],
    [{ registry: 'ghcr.io', repository: 'app' }, 'latest'],
  ])('%j → %s', (ref, expected) => {
    expect(manifestIdentifier(ref)).toBe(expected);
  });
});

describe('sameRepository', () => {
  it.each([
    ['ghcr.io/acme/app:1', 'ghcr.io/acme/app:2', true],
    ['ghcr.io/acme/app', `ghcr.io/acme/app@${DIGEST}`, true],
    ['alpine', 'docker.io/library/alpine', true],
    ['alpine', 'index.docker.io/library/alpine:3', true],
    ['GHCR.io/acme/app', 'ghcr.io/acme/app', true],
    ['ghcr.io/acme/app', 'ghcr.io/acme/app2', false],
    ['ghcr.io/acme/app', 'docker.io/acme/app', false],
    ['localhost:5000/app', 'localhost:5001/app', false],
    ['localhost/app', 'localhost:5000/app', false],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(sameRepository(parseReference(a), parseReference(b))).toBe(expected);
    expect(sameRepository(parseReference(b), parseReference(a))).toBe(expected);
  });
});

describe('Docker Hub hosts', () => {
  it.each([
    ['docker.io', 'registry-1.docker.io', 'https://index.docker.io/v1/'],
    ['ghcr.io', 'ghcr.io', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000', 'localhost:5000'],
    ['[::1]:5000', '[::1]:5000', '[::1]:5000'],
    ['registry-1.docker.io', 'registry-1.docker.io', 'registry-1.docker.io'],
  ])('%s → API host %s, credentials key %s', (registry, apiHost, credentialsKey) => {
    expect(registryApiHost(registry)).toBe(apiHost);
    expect(registryCredentialsKey(registry)).toBe(credentialsKey);
  });
});

describe('isLoopbackRegistry', () => {
  it.each([
    ['localhost', true],
    ['localhost:5000', true],
    ['LocalHost:5000', true],
    ['127.0.0.1', true],
    ['127.0.0.1:5000', true],
    ['127.255.255.254:443', true],
    ['[::1]', true],
    ['[::1]:5000', true],
    ['[0:0:0:0:0:0:0:1]:5000', true],
    ['127.0.0.256', false],
    ['127.0.0', false],
    ['128.0.0.1', false],
    ['10.0.0.1:5000', false],
    ['127.0.0.1.nip.io', false],
    ['localhost.example.com', false],
    ['mylocalhost:5000', false],
    ['[::2]:5000', false],
    ['ghcr.io', false],
    ['docker.io', false],
  ])('%s → %s', (registry, expected) => {
    expect(isLoopbackRegistry(registry)).toBe(expected);
  });
});
