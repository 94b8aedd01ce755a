import { describe, expect, it } from '@jest/globals';
import {
  MANIFEST_MEDIA_TYPES,
  MediaType,
  isDockerMediaType,
  isImageManifestMediaType,
  isIndexMediaType,
  isSchema1MediaType,
  stripMediaTypeParameters,
} from '../../../src/oci/media-types.js';

describe('MANIFEST_MEDIA_TYPES', () => {
  it('lists the four manifest types, index types first', () => {
    expect(MANIFEST_MEDIA_TYPES).toEqual([
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]);
  });
});

describe('media type predicates', () => {
  // [media type, index, image manifest, docker, schema 1]
  it.each([
    [MediaType.OciIndex, true, false, false, false],
    [MediaType.DockerManifestList, true, false, true, false],
    [MediaType.OciManifest, false, true, false, false],
    [MediaType.DockerManifest, false, true, true, false],
    [MediaType.DockerManifestSchema1, false, false, true, true],
    [MediaType.DockerManifestSchema1Signed, false, false, true, true],
    [MediaType.DockerConfig, false, false, true, false],
    [MediaType.DockerLayerGzip, false, false, true, false],
    [MediaType.OciConfig, false, false, false, false],
    [MediaType.OciLayerGzip, false, false, false, false],
    [MediaType.OciEmpty, false, false, false, false],
    ['application/json', false, false, false, false],
    ['application/vnd.oci.image.index.v1+json; charset=utf-8', false, false, false, false],
    ['', false, false, false, false],
  ])('%j', (mediaType, index, image, docker, schema1) => {
    expect(isIndexMediaType(mediaType)).toBe(index);
    expect(isImageManifestMediaType(mediaType)).toBe(image);
    expect(isDockerMediaType(mediaType)).toBe(docker);
    expect(isSchema1MediaType(mediaType)).toBe(schema1);
  });
});

describe('stripMediaTypeParameters', () => {
  it.each([
    ['application/vnd.oci.image.index.v1+json', 'application/vnd.oci.image.index.v1+json'],
    ['application/json; charset=utf-8', 'application/json'],
    ['application/json;charset=utf-8', 'application/json'],
    [' application/json ; q=1', 'application/json'],
    ['a/b;', 'a/b'],
    ['', ''],
  ])('%j → %j', (contentType, expected) => {
    expect(stripMediaTypeParameters(contentType)).toBe(expected);
  });
});
