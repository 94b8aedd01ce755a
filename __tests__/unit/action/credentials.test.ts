import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCredentials, type ActionCredentialsOptions } from '../../../src/action/credentials.js';
import { InputError } from '../../../src/action/input-error.js';
import { silentLogger } from '../../../src/common/logger.js';

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

let home: string;
let dockerConfigDir: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'action-credentials-home-'));
  dockerConfigDir = await mkdtemp(join(tmpdir(), 'action-credentials-docker-'));
  const config = { auths: { 'file.example': { auth: basic('file-user', 'file-pass') } } };
  await writeFile(join(dockerConfigDir, 'config.json'), JSON.stringify(config));
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(dockerConfigDir, { recursive: true, force: true });
});

function build(overrides: Partial<ActionCredentialsOptions> = {}, secrets: string[] = []) {
  return buildCredentials({
    inputs: { registry: '', username: '', password: '', githubToken: '' },
    targets: [{ registry: 'target.example', repository: 'acme/app' }],
    env: {},
    homeDir: home,
    onSecret: (secret) => secrets.push(secret),
    logger: silentLogger,
    ...overrides,
  });
}

const authConfig = JSON.stringify({
  auths: {
    'target.example': { auth: basic('env-user', 'env-pass') },
    'ghcr.io': { auth: basic('env-user', 'env-pass') },
  },
});

describe('buildCredentials', () => {
  it.each([
    [
      'a username without a password',
      { registry: '', username: 'bot', password: '', githubToken: '' },
      'password',
    ],
    [
      'a password without a username',
      { registry: '', username: '', password: 'pw', githubToken: '' },
      'username',
    ],
  ])('rejects %s, naming the missing input', (_name, inputs, missing) => {
    const failure = () => build({ inputs });
    expect(failure).toThrow(InputError);
    expect(failure).toThrow(`is set but ${missing} is empty`);
  });

  it('masks the password, the Basic form of username:password and the github token before any lookup', () => {
    const secrets: string[] = [];
    build({ inputs: { registry: '', username: 'bot', password: 'pw', githubToken: 'ghs_token' } }, secrets);
    expect(secrets).toEqual(['pw', basic('bot', 'pw'), 'ghs_token']);
  });

  it('masks nothing when no secret is given', () => {
    const secrets: string[] = [];
    build({}, secrets);
    expect(secrets).toEqual([]);
  });

  it.each([
    [
      'the inputs, for a target registry, before DOCKER_AUTH_CONFIG',
      'target.example',
      { username: 'bot', password: 'pw', source: 'the username and password inputs' },
    ],
    [
      'DOCKER_AUTH_CONFIG for a registry that is no target',
      'ghcr.io',
      { username: 'env-user', password: 'env-pass', source: 'DOCKER_AUTH_CONFIG' },
    ],
    [
      'the Docker config file',
      'file.example',
      { username: 'file-user', password: 'file-pass', source: expect.stringContaining('config.json') },
    ],
    ['nothing for an unknown registry', 'other.example', undefined],
  ])('finds %s', async (_name, registry, expected) => {
    const { store } = build({
      inputs: { registry: '', username: 'bot', password: 'pw', githubToken: 'ghs_token' },
      env: { DOCKER_AUTH_CONFIG: authConfig, DOCKER_CONFIG: dockerConfigDir },
    });
    expect(await store.get(registry)).toEqual(expected);
  });

  it('uses github-token for ghcr.io, with GITHUB_ACTOR as the username, when nothing else names ghcr.io', async () => {
    const { store } = build({
      inputs: { registry: '', username: '', password: '', githubToken: 'ghs_token' },
      env: { GITHUB_ACTOR: 'octocat', DOCKER_CONFIG: dockerConfigDir },
    });
    expect(await store.get('ghcr.io')).toEqual({
      username: 'octocat',
      password: 'ghs_token',
      source: 'github-token',
    });
    expect(await store.get('target.example')).toBeUndefined();
  });

  it("says where each registry's credentials come from", async () => {
    const { store } = build({
      inputs: { registry: '', username: 'bot', password: 'pw', githubToken: 'ghs_token' },
      env: { DOCKER_CONFIG: dockerConfigDir },
    });
    const source = async (registry: string) => (await store.get(registry))?.source;
    expect({
      'target.example': await source('target.example'),
      'ghcr.io': await source('ghcr.io'),
      'other.example': await source('other.example'),
    }).toEqual({
      'target.example': 'the username and password inputs',
      'ghcr.io': 'github-token',
      'other.example': undefined,
    });
  });

  it('binds username and password to the first target registry only, and says so to the others', async () => {
    const { store } = build({
      inputs: { registry: '', username: 'bot', password: 'pw', githubToken: '' },
      targets: [
        { registry: 'first.example', repository: 'acme/app' },
        { registry: 'second.example', repository: 'acme/app' },
      ],
    });
    expect((await store.get('first.example'))?.username).toBe('bot');
    expect(await store.get('second.example')).toBeUndefined();
    expect(store.coverage).toBe(
      "the username and password inputs are for first.example only, the default: the first tag's registry " +
        "(in verify mode, the first source's)",
    );
  });

  it('binds username and password to the registry input, whatever the targets', async () => {
    const { store } = build({
      inputs: { registry: 'login.example', username: 'bot', password: 'pw', githubToken: '' },
    });
    expect((await store.get('login.example'))?.username).toBe('bot');
    expect(await store.get('target.example')).toBeUndefined();
    expect(store.coverage).toBe(
      'the username and password inputs are for login.example only, as the registry input says',
    );
  });
});
