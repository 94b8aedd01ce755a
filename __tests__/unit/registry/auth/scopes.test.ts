import { describe, expect, it } from '@jest/globals';
import {
  formatScope,
  mergeScopes,
  parseScopes,
  repositoryScope,
  scopeSetKey,
  scopesCover,
  type Scope,
} from '../../../../src/registry/auth/scopes.js';

const repo = (name: string, ...actions: string[]): Scope => ({ resourceType: 'repository', name, actions });

describe('repositoryScope', () => {
  it.each<[string, Array<'pull' | 'push'>, Scope]>([
    ['acme/app', ['pull'], repo('acme/app', 'pull')],
    ['acme/app', ['push', 'pull'], repo('acme/app', 'pull', 'push')],
    ['library/alpine', ['pull', 'pull'], repo('library/alpine', 'pull')],
  ])('%s with %j', (name, actions, expected) => {
    expect(repositoryScope(name, actions)).toEqual(expected);
  });
});

describe('parseScopes', () => {
  it.each<[string, Scope[]]>([
    ['repository:acme/app:pull', [repo('acme/app', 'pull')]],
    ['repository:acme/app:push,pull', [repo('acme/app', 'pull', 'push')]],
    ['repository:a/b:pull,push repository:c/d:pull', [repo('a/b', 'pull', 'push'), repo('c/d', 'pull')]],
    ['  repository:a:pull   repository:b:pull  ', [repo('a', 'pull'), repo('b', 'pull')]],
    ['repository:localhost:5000/acme/app:pull', [repo('localhost:5000/acme/app', 'pull')]],
    ['registry:catalog:*', [{ resourceType: 'registry', name: 'catalog', actions: ['*'] }]],
    [
      'repository(plugin):vieux/sshfs:pull',
      [{ resourceType: 'repository(plugin)', name: 'vieux/sshfs', actions: ['pull'] }],
    ],
    ['repository:a:delete,pull,push', [repo('a', 'delete', 'pull', 'push')]],
    ['', []],
  ])('parses %j', (text, expected) => {
    expect(parseScopes(text)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['repository:acme/app', /invalid scope "repository:acme\/app": expected "type:name:action/],
    ['acme/app', /invalid scope "acme\/app"/],
    [':acme/app:pull', /invalid scope ":acme\/app:pull"/],
    ['Repository:acme/app:pull', /invalid scope "Repository:acme\/app:pull"/],
    ['repository::pull', /invalid scope "repository::pull"/],
    [
      'repository:a:b:5000/c:pull',
      /invalid scope "repository:a:b:5000\/c:pull": the name may contain one ":"/,
    ],
    ['repository:acme/app:', /invalid scope "repository:acme\/app:": actions must be/],
    ['repository:acme/app:pull,,push', /invalid scope "repository:acme\/app:pull,,push": actions must be/],
    ['repository:acme/app:PULL', /invalid scope "repository:acme\/app:PULL": actions must be/],
    ['repository:ok:pull repository:bad', /invalid scope "repository:bad"/],
  ])('rejects %j', (text, message) => {
    expect(() => parseScopes(text)).toThrow(message);
  });

  it('names the error class', () => {
    expect(() => parseScopes('bad')).toThrow(expect.objectContaining({ name: 'InvalidScopeError' }));
  });
});

describe('formatScope', () => {
  it.each<[Scope, string]>([
    [repo('acme/app', 'pull'), 'repository:acme/app:pull'],
    [repo('acme/app', 'push', 'pull'), 'repository:acme/app:pull,push'],
    [repo('acme/app', 'pull', 'push', 'pull'), 'repository:acme/app:pull,push'],
    [repo('127.0.0.1:5000/app', 'pull'), 'repository:127.0.0.1:5000/app:pull'],
    [{ resourceType: 'registry', name: 'catalog', actions: ['*'] }, 'registry:catalog:*'],
  ])('formats %j as %s', (scope, expected) => {
    expect(formatScope(scope)).toBe(expected);
  });

  it.each(['repository:acme/app:pull,push', 'repository:localhost:5000/x:pull', 'registry:catalog:*'])(
    'round-trips %s through parseScopes',
    (text) => {
      expect(parseScopes(text).map(formatScope)).toEqual([text]);
    },
  );
});

describe('mergeScopes', () => {
  it.each<[string, Scope[], Scope[], Scope[]]>([
    ['nothing', [], [], []],
    ['into nothing', [], [repo('a', 'pull')], [repo('a', 'pull')]],
    ['the same scope twice', [repo('a', 'pull')], [repo('a', 'pull')], [repo('a', 'pull')]],
    ['actions of one repository', [repo('a', 'pull')], [repo('a', 'push')], [repo('a', 'pull', 'push')]],
    [
      'a push target before earlier pull sources',
      [repo('src/one', 'pull'), repo('src/two', 'pull')],
      [repo('dst', 'pull', 'push')],
      [repo('dst', 'pull', 'push'), repo('src/one', 'pull'), repo('src/two', 'pull')],
    ],
    [
      'a source that gains push moves to the front',
      [repo('a', 'pull'), repo('b', 'pull')],
      [repo('b', 'push')],
      [repo('b', 'pull', 'push'), repo('a', 'pull')],
    ],
    [
      'first-seen order within each group',
      [repo('p2', 'push'), repo('x', 'pull')],
      [repo('y', 'pull'), repo('p1', 'push')],
      [repo('p2', 'push'), repo('p1', 'push'), repo('x', 'pull'), repo('y', 'pull')],
    ],
    [
      'different resource types for one name',
      [repo('catalog', 'pull')],
      [{ resourceType: 'registry', name: 'catalog', actions: ['*'] }],
      [repo('catalog', 'pull'), { resourceType: 'registry', name: 'catalog', actions: ['*'] }],
    ],
  ])('merges %s', (_name, current, added, expected) => {
    expect(mergeScopes(current, added)).toEqual(expected);
  });

  it('leaves its inputs alone', () => {
    const current = [repo('a', 'pull')];
    mergeScopes(current, [repo('a', 'push')]);
    expect(current).toEqual([repo('a', 'pull')]);
  });
});

describe('scopesCover', () => {
  it.each<[string, Scope[], Scope[], boolean]>([
    ['the same scopes', [repo('a', 'pull')], [repo('a', 'pull')], true],
    ['fewer actions', [repo('a', 'pull', 'push')], [repo('a', 'pull')], true],
    ['a subset of repositories', [repo('a', 'push'), repo('b', 'pull')], [repo('b', 'pull')], true],
    ['nothing wanted', [], [], true],
    ['a missing action', [repo('a', 'pull')], [repo('a', 'push')], false],
    ['a missing repository', [repo('a', 'pull')], [repo('b', 'pull')], false],
    [
      'a missing resource type',
      [repo('catalog', 'pull')],
      [{ resourceType: 'registry', name: 'catalog', actions: ['pull'] }],
      false,
    ],
    [
      'actions granted across duplicate entries',
      [repo('a', 'pull'), repo('a', 'push')],
      [repo('a', 'pull', 'push')],
      true,
    ],
  ])('%s', (_name, granted, wanted, expected) => {
    expect(scopesCover(granted, wanted)).toBe(expected);
  });
});

describe('scopeSetKey', () => {
  it.each<[string, Scope[], Scope[]]>([
    ['order of scopes', [repo('a', 'pull'), repo('b', 'pull')], [repo('b', 'pull'), repo('a', 'pull')]],
    ['order of actions', [repo('a', 'push', 'pull')], [repo('a', 'pull', 'push')]],
    ['duplicates', [repo('a', 'pull'), repo('a', 'pull')], [repo('a', 'pull')]],
    ['actions split across entries', [repo('a', 'pull'), repo('a', 'push')], [repo('a', 'pull', 'push')]],
  ])('ignores %s', (_name, one, other) => {
    expect(scopeSetKey(one)).toBe(scopeSetKey(other));
  });

  it.each<[string, Scope[], Scope[]]>([
    ['different actions', [repo('a', 'pull')], [repo('a', 'pull', 'push')]],
    ['different repositories', [repo('a', 'pull')], [repo('b', 'pull')]],
    ['an extra scope', [repo('a', 'pull')], [repo('a', 'pull'), repo('b', 'pull')]],
  ])('tells apart %s', (_name, one, other) => {
    expect(scopeSetKey(one)).not.toBe(scopeSetKey(other));
  });

  it('reads as the sorted scope strings', () => {
    expect(scopeSetKey([repo('b', 'push'), repo('a', 'pull')])).toBe('repository:a:pull repository:b:push');
  });
});
