import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { VERSION, defaultUserAgent } from '../../../../src/registry/http/user-agent.js';

describe('the User-Agent', () => {
  it('names the version package.json has, since it is kept in step by hand', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
    expect(defaultUserAgent).toMatch(
      new RegExp(`^multiarch-publish/${pkg.version.replace(/\./g, '\\.')} \\(\\+https://`),
    );
  });
});
