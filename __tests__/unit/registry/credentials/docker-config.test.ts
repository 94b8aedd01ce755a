import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { dockerConfigStore } from '../../../../src/registry/credentials/docker-config.js';
import type { Credential } from '../../../../src/registry/credentials/credential-store.js';
import { recordingLogger } from '../../../support/loggers.js';

const FIXTURE_BIN = fileURLToPath(new URL('../../../fixtures/bin', import.meta.url));
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

let home: string;
let logger: ReturnType<typeof recordingLogger>;
let secrets: string[];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'docker-config-test-'));
  logger = recordingLogger();
  secrets = [];
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Writes `config` (an object, or raw text) as `<dir>/config.json`; returns its path. */
async function writeConfig(config: object | string, dir = join(home, '.docker')): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'config.json');
  await writeFile(path, typeof config === 'string' ? config : JSON.stringify(config));
  return path;
}

function store(env: NodeJS.ProcessEnv = {}) {
  return dockerConfigStore({
    env: { PATH: `${FIXTURE_BIN}${delimiter}${process.env.PATH ?? ''}`, ...env },
    homeDir: home,
    onSecret: (secret) => secrets.push(secret),
    logger,
  });
}

const homeConfig = () => join(home, '.docker', 'config.json');

describe('auths in ~/.docker/config.json', () => {
  it.each<[string, object, Omit<Credential, 'source'> | undefined]>([
    ['auth', { auth: base64('alice:pw') }, { username: 'alice', password: 'pw' }],
    [
      'auth split on the first colon',
      { auth: base64('alice:p:w:') },
      { username: 'alice', password: 'p:w:' },
    ],
    ['auth with trailing NULs', { auth: base64('alice:pw\0\0') }, { username: 'alice', password: 'pw' }],
    [
      'auth without padding',
      { auth: base64('alice:pw1').replace(/=+$/, '') },
      { username: 'alice', password: 'pw1' },
    ],
    [
      'auth over username and password',
      { auth: base64('a:b'), username: 'c', password: 'd' },
      { username: 'a', password: 'b' },
    ],
    ['username and password', { username: 'alice', password: 'pw' }, { username: 'alice', password: 'pw' }],
    [
      'identitytoken',
      { username: 'alice', identitytoken: 'refresh' },
      { username: 'alice', identityToken: 'refresh' },
    ],
    ['registrytoken', { registrytoken: 'bearer-token' }, { registryToken: 'bearer-token' }],
    ['an empty entry (written beside a credsStore)', {}, undefined],
    ['a username alone', { username: 'alice' }, undefined],
    ['empty strings', { auth: '', identitytoken: '' }, undefined],
  ])('reads %s', async (_name, entry, expected) => {
    const path = await writeConfig({ auths: { 'ghcr.io': entry } });
    expect(await store().get('ghcr.io')).toEqual(expected && { ...expected, source: path });
  });

  it.each<[string, string, string]>([
    ['docker.io', 'https://index.docker.io/v1/', 'the Docker Hub key'],
    ['docker.io', 'index.docker.io', 'a Docker Hub key without scheme'],
    ['myreg.example.com', 'https://myreg.example.com/v1/', 'a legacy URL key'],
    ['myreg.example.com:5000', 'http://myreg.example.com:5000/v2/', 'a legacy URL key with a port'],
    ['127.0.0.1:5000', '127.0.0.1:5000', 'an address with a port'],
    ['MyReg.example.com', 'https://myreg.example.com/v1/', 'a host in another case'],
  ])('finds %s under %s (%s)', async (registry, key, _name) => {
    const path = await writeConfig({ auths: { [key]: { auth: base64('u:p') } } });
    expect(await store().get(registry)).toEqual({ username: 'u', password: 'p', source: path });
  });

  it.each<[string, string]>([
    ['ghcr.io', 'ghcr.io.evil.example'],
    ['ghcr.io', 'https://evil.example/ghcr.io'],
    ['myreg.example.com', 'myreg.example.com:5000'],
    ['docker.io', 'https://registry.example/v1/'],
  ])('does not take %s credentials from %s', async (registry, key) => {
    await writeConfig({ auths: { [key]: { auth: base64('u:p') } } });
    expect(await store().get(registry)).toBeUndefined();
  });

  it('prefers the exact key to a legacy one', async () => {
    await writeConfig({
      auths: { 'https://ghcr.io/v1/': { auth: base64('legacy:p') }, 'ghcr.io': { auth: base64('exact:p') } },
    });
    expect(await store().get('ghcr.io')).toMatchObject({ username: 'exact' });
  });

  it('has nothing when there is no config file', async () => {
    expect(await store().get('ghcr.io')).toBeUndefined();
  });

  it('reads $DOCKER_CONFIG/config.json instead of the home one', async () => {
    await writeConfig({ auths: { 'ghcr.io': { auth: base64('home:p') } } });
    const path = await writeConfig(
      { auths: { 'ghcr.io': { auth: base64('custom:p') } } },
      join(home, 'custom'),
    );
    expect(await store({ DOCKER_CONFIG: join(home, 'custom') }).get('ghcr.io')).toEqual({
      username: 'custom',
      password: 'p',
      source: path,
    });
  });
});

describe('broken config files', () => {
  it('names the file and the position of a JSON error, without quoting the file', async () => {
    await writeConfig(`{"auths": {"ghcr.io": {"auth": "${base64('u:hunter2')}"}},, }`);
    const failure = store().get('ghcr.io');
    await expect(failure).rejects.toThrow(
      new RegExp(`^failed to parse Docker config ${homeConfig()}: not valid JSON \\(at position \\d+`),
    );
    await expect(failure).rejects.not.toThrow(base64('u:hunter2'));
    // JSON.parse's own error quotes the text, so it is not kept as the cause.
    const error = (await failure.catch((caught: unknown) => caught)) as Error;
    expect(error.name).toBe('DockerConfigError');
    expect(error.cause).toBeUndefined();
  });

  it.each<[string, object, string]>([
    ['a top level that is not an object', [], 'the top level is not an object'],
    ['auths that is not an object', { auths: 'x' }, '"auths" is not an object'],
    [
      'an entry that is not an object',
      { auths: { 'ghcr.io': 'x' } },
      '"auths" entry "ghcr.io" is not an object',
    ],
    [
      'a field that is not a string',
      { auths: { 'ghcr.io': { auth: 1 } } },
      '"auth" of "auths" entry "ghcr.io" is not a string',
    ],
    [
      'credHelpers that are not strings',
      { credHelpers: { 'ghcr.io': 1 } },
      '"credHelpers" is not an object of strings',
    ],
    ['a credsStore that is not a string', { credsStore: ['x'] }, '"credsStore" is not a string'],
  ])('rejects %s', async (_name, config, problem) => {
    await writeConfig(config);
    await expect(store().get('ghcr.io')).rejects.toThrow(
      `invalid Docker config ${homeConfig()}: ${problem}; expected`,
    );
  });

  it.each<[string, string, string]>([
    ['not base64', 'not base64!', 'not base64'],
    ['no colon', base64('alice'), 'no ":" after decoding'],
    ['an empty username', base64(':pw'), 'the username is empty'],
  ])('rejects an auth with %s, naming the key but not the value', async (_name, auth, problem) => {
    await writeConfig({ auths: { 'https://ghcr.io/v1/': { auth } } });
    const failure = store().get('ghcr.io');
    await expect(failure).rejects.toThrow(
      `invalid "auth" for "https://ghcr.io/v1/" in ${homeConfig()}: ${problem}; expected base64 of "username:password"`,
    );
    await expect(failure).rejects.not.toThrow(auth);
  });

  it('ignores a malformed entry of another registry', async () => {
    await writeConfig({ auths: { 'other.example': { auth: '!!' }, 'ghcr.io': { auth: base64('u:p') } } });
    expect(await store().get('ghcr.io')).toMatchObject({ username: 'u' });
  });
});

describe('DOCKER_AUTH_CONFIG', () => {
  const variable = (auths: object) => JSON.stringify({ auths });

  it('wins over the config file', async () => {
    await writeConfig({ auths: { 'ghcr.io': { auth: base64('file:p') } } });
    const env = { DOCKER_AUTH_CONFIG: variable({ 'ghcr.io': { auth: base64('env:p') } }) };
    expect(await store(env).get('ghcr.io')).toEqual({
      username: 'env',
      password: 'p',
      source: 'DOCKER_AUTH_CONFIG',
    });
  });

  it('leaves other registries to the config file', async () => {
    const path = await writeConfig({ auths: { 'quay.io': { auth: base64('file:p') } } });
    const env = { DOCKER_AUTH_CONFIG: variable({ 'ghcr.io': { auth: base64('env:p') } }) };
    expect(await store(env).get('quay.io')).toEqual({ username: 'file', password: 'p', source: path });
  });

  it('finds Docker Hub under its key', async () => {
    const env = {
      DOCKER_AUTH_CONFIG: variable({ 'https://index.docker.io/v1/': { auth: base64('hub:p') } }),
    };
    expect(await store(env).get('docker.io')).toMatchObject({
      username: 'hub',
      source: 'DOCKER_AUTH_CONFIG',
    });
  });

  it('reads only "auth" and says what it ignored', async () => {
    const env = {
      DOCKER_AUTH_CONFIG: variable({
        'ghcr.io': { identitytoken: 'refresh' },
        'quay.io': { auth: base64('u:p') },
      }),
    };
    const credentials = store(env);
    expect(await credentials.get('ghcr.io')).toBeUndefined();
    expect(await credentials.get('quay.io')).toMatchObject({ username: 'u' });
    expect(logger.warnings).toEqual([
      'DOCKER_AUTH_CONFIG: ignoring identitytoken of "ghcr.io": only "auth" is read there',
    ]);
  });

  it('rejects malformed JSON, naming the variable and not quoting it', async () => {
    // JSON.parse would answer: Unexpected token 'd', "dTpodW50ZXIy" is not valid JSON.
    const env = { DOCKER_AUTH_CONFIG: base64('u:hunter2') };
    const failure = store(env).get('ghcr.io');
    await expect(failure).rejects.toThrow(
      /^failed to parse Docker config DOCKER_AUTH_CONFIG: not valid JSON; expected/,
    );
    await expect(failure).rejects.not.toThrow(base64('u:hunter2'));
  });

  it('is skipped when empty', async () => {
    const path = await writeConfig({ auths: { 'ghcr.io': { auth: base64('file:p') } } });
    expect(await store({ DOCKER_AUTH_CONFIG: ' ' }).get('ghcr.io')).toMatchObject({ source: path });
  });
});

describe('credential helpers', () => {
  it('asks the credHelpers entry of the registry', async () => {
    await writeConfig({
      credHelpers: { 'creds.example': 'test' },
      auths: { 'creds.example': { auth: base64('file:p') } },
    });
    expect(await store().get('creds.example')).toEqual({
      username: 'helper-user',
      password: 'helper-secret',
      source: 'docker-credential-test',
    });
  });

  it('turns a helper’s <token> user into an identity token', async () => {
    await writeConfig({ credHelpers: { 'token.example': 'test' } });
    expect(await store().get('token.example')).toEqual({
      identityToken: 'helper-refresh-token',
      source: 'docker-credential-test',
    });
  });

  it('asks the credsStore for registries without a credHelpers entry, with the Docker Hub key', async () => {
    await writeConfig({ credsStore: 'test', credHelpers: { 'ghcr.io': 'absent' } });
    expect(await store().get('docker.io')).toMatchObject({
      username: 'helper-user',
      source: 'docker-credential-test',
    });
  });

  it('prefers credHelpers to credsStore', async () => {
    await writeConfig({ credsStore: 'absent', credHelpers: { 'creds.example': 'test' } });
    expect(await store().get('creds.example')).toMatchObject({ source: 'docker-credential-test' });
  });

  it('has nothing when the helper has nothing, like docker', async () => {
    await writeConfig({ credsStore: 'test', auths: { 'unknown.example': { auth: base64('file:p') } } });
    expect(await store().get('unknown.example')).toBeUndefined();
  });

  it('fails with the helper’s error', async () => {
    await writeConfig({ credHelpers: { 'broken.example': 'test' } });
    await expect(store().get('broken.example')).rejects.toThrow(
      'failed to get credentials for broken.example from docker-credential-test: exit code 1: keychain is locked',
    );
  });

  it('warns and goes on without credentials when the helper is not installed', async () => {
    await writeConfig({ credsStore: 'desktop' });
    expect(await store().get('ghcr.io')).toBeUndefined();
    expect(logger.warnings).toEqual([
      'failed to get credentials for ghcr.io from docker-credential-desktop: docker-credential-desktop is not on PATH; ' +
        `continuing without credentials from ${homeConfig()}`,
    ]);
  });
});

describe('secrets', () => {
  it('hands every secret it returns to onSecret, before logging anything', async () => {
    await writeConfig({
      credHelpers: { 'creds.example': 'test' },
      auths: {
        'ghcr.io': { auth: base64('alice:pw1') },
        'quay.io': { identitytoken: 'refresh-1' },
        'reg.example': { registrytoken: 'bearer-1' },
      },
    });
    const credentials = store();
    for (const registry of ['ghcr.io', 'quay.io', 'reg.example', 'creds.example'])
      await credentials.get(registry);

    const expected = [base64('alice:pw1'), 'pw1', 'refresh-1', 'bearer-1', 'helper-secret'];
    expect(secrets).toEqual(expect.arrayContaining(expected));
    const logged = [...logger.debugs, ...logger.infos, ...logger.warnings].join('\n');
    for (const secret of expected) expect(logged).not.toContain(secret);
  });
});
