import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../../../src/action/input-error.js';
import { metadataAnnotationLines, parseMetadata } from '../../../../src/action/inputs/metadata.js';

// docker/metadata-action's json output, as its getJSON writes it (annotation levels: the default, manifest).
const JSON_OUTPUT = JSON.stringify({
  tags: ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest'],
  'tag-names': ['1.2.3', 'latest'],
  labels: { 'org.opencontainers.image.title': 'app', 'org.opencontainers.image.version': '1.2.3' },
  annotations: [
    'manifest:org.opencontainers.image.title=app',
    'manifest:org.opencontainers.image.version=1.2.3',
  ],
});

describe('parseMetadata', () => {
  it('reads tags, labels and annotations', () => {
    expect(parseMetadata(JSON_OUTPUT)).toEqual({
      tags: ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest'],
      labels: { 'org.opencontainers.image.title': 'app', 'org.opencontainers.image.version': '1.2.3' },
      annotations: [
        'manifest:org.opencontainers.image.title=app',
        'manifest:org.opencontainers.image.version=1.2.3',
      ],
    });
  });

  it('is nothing when empty, and takes missing fields as empty', () => {
    expect(parseMetadata('')).toBeUndefined();
    expect(parseMetadata('{}')).toEqual({ tags: [], labels: {}, annotations: [] });
  });

  it.each([
    ['not JSON', 'tags: x', 'not JSON'],
    ['not an object', '["a"]', 'not a JSON object'],
    ['tags not a list', '{"tags":"a"}', '"tags" is not a list of strings'],
    ['labels not strings', '{"labels":{"a":1}}', '"labels" is not an object of strings'],
  ])('rejects %s, naming the input and what it expects', (_name, text, why) => {
    const failure = () => parseMetadata(text);
    expect(failure).toThrow(InputError);
    expect(failure).toThrow(why);
    expect(failure).toThrow("expected docker/metadata-action's json output");
  });
});

describe('metadataAnnotationLines', () => {
  it('gives the annotations when there are some', () => {
    expect(metadataAnnotationLines(parseMetadata(JSON_OUTPUT)!)).toEqual([
      'manifest:org.opencontainers.image.title=app',
      'manifest:org.opencontainers.image.version=1.2.3',
    ]);
  });

  it('gives the labels as index lines when there are no annotations', () => {
    expect(metadataAnnotationLines({ tags: [], annotations: [], labels: { 'a:b': 'x=y' } })).toEqual([
      'index:a:b=x=y',
    ]);
  });
});
