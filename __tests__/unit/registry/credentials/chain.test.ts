import { describe, expect, it } from '@jest/globals';
import { chainStores, githubTokenStore, staticStore } from '../../../../src/registry/credentials/chain.js';
import type { Credential, CredentialStore } from '../../../../src/registry/credentials/credential-store.js';

const credential = (username: string, source: string): Credential => ({ username, password: 'pw', source });
const failing: CredentialStore = { get: () => Promise.reject(new Error('must not be asked')) };

describe('staticStore', () => {
  const store = staticStore([
    { registry: 'ghcr.io', credential: credential('first', 'inputs') },
    { registry: 'ghcr.io', credential: credential('second', 'inputs') },
    { registry: 'docker.io', credential: credential('hub', 'inputs') },
  ]);

  it.each<[string, string | undefined]>([
    ['ghcr.io', 'first'],
    ['docker.io', 'hub'],
    ['quay.io', undefined],
    ['GHCR.IO', undefined],
  ])('answers %s with %s', async (registry, username) => {
    expect((await store.get(registry))?.username).toBe(username);
  });
});

describe('githubTokenStore', () => {
  it.each<[string, string | undefined, string | undefined, string, Credential | undefined]>([
    [
      'the token for ghcr.io',
      'ghs_token',
      'octocat',
      'ghcr.io',
      { username: 'octocat', password: 'ghs_token', source: 'github-token' },
    ],
    [
      'a stand-in username',
      'ghs_token',
      undefined,
      'ghcr.io',
      { username: 'x-access-token', password: 'ghs_token', source: 'github-token' },
    ],
    [
      'a stand-in for an empty username',
      'ghs_token',
      '',
      'ghcr.io',
      { username: 'x-access-token', password: 'ghs_token', source: 'github-token' },
    ],
    ['nothing for another registry', 'ghs_token', 'octocat', 'docker.io', undefined],
    ['nothing for a lookalike', 'ghs_token', 'octocat', 'ghcr.io.example', undefined],
    ['nothing without a token', undefined, 'octocat', 'ghcr.io', undefined],
    ['nothing for an empty token', '', 'octocat', 'ghcr.io', undefined],
  ])('gives %s', async (_name, token, username, registry, expected) => {
    expect(await githubTokenStore(token, username).get(registry)).toEqual(expected);
  });
});

describe('chainStores', () => {
  it('returns the first store’s answer without asking the rest', async () => {
    const chain = chainStores(
      staticStore([{ registry: 'ghcr.io', credential: credential('a', 'inputs') }]),
      failing,
    );
    expect(await chain.get('ghcr.io')).toEqual(credential('a', 'inputs'));
  });

  it('asks the next store when one has nothing', async () => {
    const chain = chainStores(
      staticStore([{ registry: 'docker.io', credential: credential('a', 'inputs') }]),
      githubTokenStore('ghs_token', 'octocat'),
    );
    expect(await chain.get('ghcr.io')).toMatchObject({ username: 'octocat', source: 'github-token' });
  });

  it('has nothing when no store has anything', async () => {
    expect(await chainStores(staticStore([]), githubTokenStore(undefined)).get('ghcr.io')).toBeUndefined();
    expect(await chainStores().get('ghcr.io')).toBeUndefined();
  });

  it('passes on a store’s failure', async () => {
    await expect(chainStores(staticStore([]), failing).get('ghcr.io')).rejects.toThrow('must not be asked');
  });
});
