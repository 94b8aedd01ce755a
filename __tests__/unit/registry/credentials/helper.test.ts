import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { delimiter } from 'node:path';
import { CredentialHelperError, runCredentialHelper } from '../../../../src/registry/credentials/helper.js';
import type { Credential } from '../../../../src/registry/credentials/credential-store.js';

const FIXTURE_BIN = fileURLToPath(new URL('../../../fixtures/bin', import.meta.url));
const env = { ...process.env, PATH: `${FIXTURE_BIN}${delimiter}${process.env.PATH ?? ''}` };

describe('runCredentialHelper', () => {
  it.each<[string, Credential | undefined]>([
    [
      'creds.example',
      { username: 'helper-user', password: 'helper-secret', source: 'docker-credential-test' },
    ],
    [
      'https://index.docker.io/v1/',
      { username: 'helper-user', password: 'helper-secret', source: 'docker-credential-test' },
    ],
    ['token.example', { identityToken: 'helper-refresh-token', source: 'docker-credential-test' }],
    ['unknown.example', undefined],
    ['empty.example', undefined],
  ])('answers for %s', async (serverUrl, expected) => {
    expect(await runCredentialHelper('test', serverUrl, { env })).toEqual(expected);
  });

  it.each<[string, string]>([
    [
      'broken.example',
      'failed to get credentials for broken.example from docker-credential-test: exit code 1: keychain is locked',
    ],
    [
      'stdout-error.example',
      'failed to get credentials for stdout-error.example from docker-credential-test: exit code 1: ' +
        'error getting credentials: keychain is locked',
    ],
    [
      'garbage.example',
      'failed to get credentials for garbage.example from docker-credential-test: the answer is not JSON; ' +
        'expected {"ServerURL","Username","Secret"}',
    ],
    [
      'no-secret.example',
      'failed to get credentials for no-secret.example from docker-credential-test: the answer lacks a string ' +
        '"Secret"; expected {"ServerURL","Username","Secret"}',
    ],
  ])('fails for %s with the helper’s error, never its answer', async (serverUrl, message) => {
    const failure = runCredentialHelper('test', serverUrl, { env });
    await expect(failure).rejects.toThrow(new CredentialHelperError(message, false));
    await expect(failure).rejects.toMatchObject({ name: 'CredentialHelperError', notInstalled: false });
  });

  it('says when the helper is not on PATH', async () => {
    const failure = runCredentialHelper('absent', 'ghcr.io', { env });
    await expect(failure).rejects.toThrow(
      'failed to get credentials for ghcr.io from docker-credential-absent: docker-credential-absent is not on PATH',
    );
    await expect(failure).rejects.toMatchObject({ notInstalled: true });
  });

  it('kills a helper that does not answer in time', async () => {
    await expect(runCredentialHelper('test', 'slow.example', { env, timeoutMs: 100 })).rejects.toThrow(
      'failed to get credentials for slow.example from docker-credential-test: no answer within 100 ms',
    );
  });

  it.each(['../test', 'te st', '', '-rf'])('refuses the helper name %j', async (name) => {
    await expect(runCredentialHelper(name, 'ghcr.io', { env })).rejects.toThrow(
      `invalid credential helper name "${name}": expected a name like "ecr-login"`,
    );
  });
});
