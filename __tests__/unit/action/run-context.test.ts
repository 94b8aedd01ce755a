import { describe, expect, it } from '@jest/globals';
import { withRunAnnotations } from '../../../src/action/prepare-request.js';
import { contextAnnotations, readRunContext, runLinks } from '../../../src/action/run-context.js';
import { publishRequest } from '../../support/publish-request.js';

const SHA = 'c'.repeat(40);
const RUN = { serverUrl: 'https://github.com', repository: 'acme/app', sha: SHA, runId: 7 };
const REQUEST = publishRequest();

describe('readRunContext', () => {
  it("reads the server, repository, commit and run from the runner's variables", () => {
    const env = {
      GITHUB_SERVER_URL: 'https://ghes.example/',
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_SHA: SHA,
      GITHUB_RUN_ID: '7',
    };
    expect(readRunContext(env)).toEqual({ ...RUN, serverUrl: 'https://ghes.example' });
  });

  it('takes github.com when no server is named, and leaves out a missing commit and run', () => {
    expect(readRunContext({ GITHUB_REPOSITORY: 'acme/app', GITHUB_RUN_ID: 'x' })).toEqual({
      serverUrl: 'https://github.com',
      repository: 'acme/app',
    });
  });

  it('is nothing outside a workflow run', () => {
    expect(readRunContext({})).toBeUndefined();
    expect(readRunContext({ GITHUB_REPOSITORY: 'acme' })).toBeUndefined();
  });
});

describe('context annotations and links', () => {
  it('names the repository and the commit', () => {
    expect(contextAnnotations(RUN)).toEqual({
      'org.opencontainers.image.source': 'https://github.com/acme/app',
      'org.opencontainers.image.revision': SHA,
    });
    expect(runLinks(RUN)).toEqual({
      commitUrl: `https://github.com/acme/app/commit/${SHA}`,
      runUrl: 'https://github.com/acme/app/actions/runs/7',
    });
  });

  it('go under the annotations the user set', () => {
    const request = {
      ...REQUEST,
      indexAnnotations: { 'org.opencontainers.image.source': 'https://x.example' },
    };
    expect(withRunAnnotations(request, RUN, () => undefined).indexAnnotations).toEqual({
      'org.opencontainers.image.source': 'https://x.example',
      'org.opencontainers.image.revision': SHA,
    });
  });

  it('are left out, with a debug line, when the user asked for a Docker manifest list', () => {
    const lines: string[] = [];
    const request = { ...REQUEST, format: 'docker' as const };
    expect(withRunAnnotations(request, RUN, (line) => lines.push(line))).toBe(request);
    expect(lines).toEqual(['context annotations left out: format docker has no annotations']);
  });
});
