import { describe, expect, it } from '@jest/globals';
import {
  parseWwwAuthenticate,
  preferredChallenge,
  type Challenge,
} from '../../../../src/registry/auth/challenge.js';

const bearer = (params: Record<string, string>): Challenge => ({ scheme: 'bearer', params });
const basic = (params: Record<string, string>): Challenge => ({ scheme: 'basic', params });

describe('parseWwwAuthenticate', () => {
  it.each<[string, string | string[], Challenge[]]>([
    [
      'Docker Hub',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
      [
        bearer({
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/alpine:pull',
        }),
      ],
    ],
    [
      'GHCR',
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/app:pull"',
      [bearer({ realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:acme/app:pull' })],
    ],
    [
      'Quay',
      'Bearer realm="https://quay.io/v2/auth",service="quay.io"',
      [bearer({ realm: 'https://quay.io/v2/auth', service: 'quay.io' })],
    ],
    [
      'ECR (Basic)',
      'Basic realm="https://123456789012.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"',
      [
        basic({
          realm: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com/',
          service: 'ecr.amazonaws.com',
        }),
      ],
    ],
    [
      'GitLab',
      'Bearer realm="https://gitlab.com/jwt/auth",service="container_registry",scope="repository:group/project:push,pull"',
      [
        bearer({
          realm: 'https://gitlab.com/jwt/auth',
          service: 'container_registry',
          scope: 'repository:group/project:push,pull',
        }),
      ],
    ],
    ['distribution htpasswd', 'Basic realm="Registry Realm"', [basic({ realm: 'Registry Realm' })]],
    [
      'a quoted value with commas and spaces',
      'Bearer realm="https://r.example/token",scope="repository:a/b:pull,push repository:c/d:pull"',
      [bearer({ realm: 'https://r.example/token', scope: 'repository:a/b:pull,push repository:c/d:pull' })],
    ],
    [
      'escaped quotes and backslashes',
      'Bearer realm="https://r.example/t?x=\\"q\\"",service="a\\\\b"',
      [bearer({ realm: 'https://r.example/t?x="q"', service: 'a\\b' })],
    ],
    [
      'error="insufficient_scope"',
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/app:pull,push",error="insufficient_scope"',
      [
        bearer({
          realm: 'https://ghcr.io/token',
          service: 'ghcr.io',
          scope: 'repository:acme/app:pull,push',
          error: 'insufficient_scope',
        }),
      ],
    ],
    [
      'two challenges in one header',
      'Basic realm="Registry Realm", Bearer realm="https://auth.example/token",service="reg"',
      [basic({ realm: 'Registry Realm' }), bearer({ realm: 'https://auth.example/token', service: 'reg' })],
    ],
    [
      'two header values',
      ['Basic realm="one"', 'Bearer realm="https://auth.example/token"'],
      [basic({ realm: 'one' }), bearer({ realm: 'https://auth.example/token' })],
    ],
    [
      'scheme and parameter names in any case, unquoted values, spaces around "="',
      'BEARER Realm = https://auth.example/token , SERVICE=reg',
      [bearer({ realm: 'https://auth.example/token', service: 'reg' })],
    ],
    [
      'a repeated parameter: the first wins',
      'Bearer realm="https://first/token",realm="https://second/token"',
      [bearer({ realm: 'https://first/token' })],
    ],
    [
      'a token68 challenge before a parameter challenge',
      'Negotiate YWxhZGRpbjpvcGVuc2VzYW1l==, Basic realm="r"',
      [{ scheme: 'negotiate', params: {}, token68: 'YWxhZGRpbjpvcGVuc2VzYW1l==' }, basic({ realm: 'r' })],
    ],
    ['a scheme alone', 'Basic', [basic({})]],
    [
      'parameter names that are Object.prototype members',
      'Bearer constructor="c",toString="t",realm="r"',
      [bearer({ constructor: 'c', tostring: 't', realm: 'r' })],
    ],
  ])('parses %s', (_name, header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  it.each<[string, string | string[], Challenge[]]>([
    ['an empty header', '', []],
    ['no header values', [], []],
    ['only separators', ' , ,, ', []],
    ['a parameter without a challenge', 'realm="x"', []],
    ['a lone "="', '=x, Basic realm="r"', [basic({ realm: 'r' })]],
    [
      'an unterminated quote',
      'Bearer realm="https://auth.example/token',
      [bearer({ realm: 'https://auth.example/token' })],
    ],
    ['a quoted junk element with a comma', '"junk, more", Basic realm="r"', [basic({ realm: 'r' })]],
    // `realm=` is a valid token68 by the grammar.
    [
      'a parameter with no value',
      'Bearer realm=, service="s"',
      [{ ...bearer({ service: 's' }), token68: 'realm=' }],
    ],
    ['a later parameter with no value', 'Bearer realm="r", service=, x=1', [bearer({ realm: 'r', x: '1' })]],
    ['control characters', '\u0000\u0001, Basic realm="r"', [basic({ realm: 'r' })]],
  ])('tolerates %s', (_name, header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });
});

describe('preferredChallenge', () => {
  it.each<[string, Challenge[], Challenge | undefined]>([
    ['Bearer over Basic', [basic({}), bearer({ realm: 'r' })], bearer({ realm: 'r' })],
    [
      'Basic when it is the only one we can answer',
      [{ scheme: 'negotiate', params: {} }, basic({})],
      basic({}),
    ],
    ['the first Bearer of two', [bearer({ realm: 'a' }), bearer({ realm: 'b' })], bearer({ realm: 'a' })],
    ['none for unknown schemes only', [{ scheme: 'digest', params: { realm: 'r' } }], undefined],
    ['none for no challenges', [], undefined],
  ])('picks %s', (_name, challenges, expected) => {
    expect(preferredChallenge(challenges)).toEqual(expected);
  });
});
