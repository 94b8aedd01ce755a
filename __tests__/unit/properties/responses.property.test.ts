// Whatever a registry answers (manifests, configs, statuses, error bodies, challenges), a publish run ends in a
// result or a ReportedError: never an untyped crash or an unhandled rejection, never an info line that starts a
// workflow command, and nothing written when it fails. Through the real client and transport, at the wire.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { MockAgent } from 'undici';
import { ReportedError } from '../../../src/common/reported-error.js';
import { sha256Digest } from '../../../src/oci/digest.js';
import { MediaType } from '../../../src/oci/media-types.js';
import { publish } from '../../../src/publish/publish.js';
import { publishRequest } from '../../support/publish-request.js';
import { ORIGIN, REGISTRY, wireClient } from '../registry/client-helpers.js';
import { offlineAgent } from '../registry/wire-helpers.js';
import { HOSTILE_FRAGMENTS, propertyParameters } from './settings.js';

const SOURCE = { registry: REGISTRY, repository: 'acme/src', tag: '1.0' };
const TARGET = { registry: REGISTRY, repository: 'acme/app', tag: '1.0' };
const LAYER = `sha256:${'1'.repeat(64)}`;
const WRITES = new Set(['PUT', 'POST', 'PATCH', 'DELETE']);

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ maxLength: 10 })), { maxLength: 5 })
  .map((parts) => parts.join(''));
const field = fc.oneof(
  fc.constantFrom('linux', 'amd64', 'arm64', 'v8', 'windows', ''),
  hostile,
  fc.jsonValue(),
);

/** A config: usually well-formed with hostile fields, sometimes any JSON, any text, or a bomb. */
const config = fc.oneof(
  fc
    .record({ os: fc.constant('linux'), architecture: fc.constantFrom('amd64', 'arm64', 's390x') })
    .map((fields) => encode(JSON.stringify({ ...fields, rootfs: { type: 'layers', diff_ids: [] } }))),
  fc
    .record({ os: field, architecture: field, variant: fc.option(field), 'os.version': fc.option(field) })
    .map((fields) => encode(JSON.stringify({ ...fields, rootfs: { type: 'layers', diff_ids: [] } }))),
  fc.jsonValue().map((value) => encode(JSON.stringify(value) ?? 'null')),
  hostile.map(encode),
  fc.integer({ min: 60, max: 200 }).map((depth) => encode(`{"os":${'['.repeat(depth)}${']'.repeat(depth)}}`)),
);

/** A source manifest pointing at `configBytes`: valid, tampered with, replaced by any JSON, or a bomb. */
const manifestFor = (configBytes: Uint8Array) => {
  const valid = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: {
      mediaType: MediaType.OciConfig,
      digest: sha256Digest(configBytes),
      size: configBytes.byteLength,
    },
    layers: [{ mediaType: MediaType.OciLayerGzip, digest: LAYER, size: 3 }],
  };
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(JSON.stringify(valid)) },
    fc
      .record({
        key: fc.constantFrom('schemaVersion', 'mediaType', 'config', 'layers', 'annotations'),
        value: fc.jsonValue(),
      })
      .map(({ key, value }) => JSON.stringify({ ...valid, [key]: value })),
    fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
    hostile,
    fc.integer({ min: 60, max: 300 }).map((depth) => `{"layers":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  );
};

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant(MediaType.OciManifest) },
  fc.constantFrom(MediaType.OciIndex, MediaType.DockerManifest, 'application/json', ''),
  hostile,
);
const status = fc.oneof(
  { weight: 6, arbitrary: fc.constant(200) },
  fc.constantFrom(400, 401, 403, 404, 500, 503),
);
const errorBody = fc.oneof(
  hostile.map((message) => JSON.stringify({ errors: [{ code: 'DENIED', message, detail: message }] })),
  fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
  hostile,
);
const challenge = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  fc.constant('Bearer realm="https://auth.invalid/token",service="registry.test"'),
  fc.constant('Bearer realm="http://bot:SECRET@auth.invalid/token"'),
  fc.constant('Basic realm="x"'),
  hostile,
);

const scenario = config.chain((configBytes) =>
  fc.record({
    configBytes: fc.constant(configBytes),
    manifest: manifestFor(configBytes),
    contentType,
    manifestStatus: status,
    configStatus: status,
    errorBody,
    challenge,
  }),
);
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** A request header as the mock agent hands it over (an object of the client's own spelling). */
function headerOf(headers: unknown, name: string): string {
  const entries = Object.entries((headers ?? {}) as Record<string, string>);
  return entries.find(([key]) => key.toLowerCase() === name)?.[1] ?? '';
}

/** The registry of one scenario: the source as drawn, every write accepted (and recorded). */
function serve(agent: MockAgent, s: Scenario): string[] {
  const writes: string[] = [];
  const registry = agent.get(ORIGIN);
  const answer = (ok: number, okBody: string | Uint8Array, okHeaders: Record<string, string>) =>
    ok === 200
      ? { statusCode: 200, data: Buffer.from(okBody), responseOptions: { headers: okHeaders } }
      : {
          statusCode: ok,
          data: s.errorBody,
          responseOptions: { headers: ok === 401 && s.challenge ? { 'www-authenticate': s.challenge } : {} },
        };
  registry
    .intercept({ path: '/v2/' })
    .reply(() =>
      s.challenge === ''
        ? { statusCode: 200, data: '' }
        : { statusCode: 401, data: '', responseOptions: { headers: { 'www-authenticate': s.challenge } } },
    )
    .persist();
  registry
    .intercept({ method: 'GET', path: '/v2/acme/src/manifests/1.0' })
    .reply(() => answer(s.manifestStatus, s.manifest, s.contentType ? { 'content-type': s.contentType } : {}))
    .persist();
  registry
    .intercept({ method: 'GET', path: (path) => path.startsWith('/v2/acme/src/blobs/') })
    .reply(() => answer(s.configStatus, s.configBytes, {}))
    .persist();
  // Nothing refers to the source: no referrers API, and no referrers or cosign tags.
  registry
    .intercept({ method: 'GET', path: (path) => path.startsWith('/v2/acme/src/referrers/') })
    .reply(404, '')
    .persist();
  registry
    .intercept({ method: 'GET', path: (path) => path.startsWith('/v2/acme/src/tags/list') })
    .reply(200, JSON.stringify({ name: 'acme/src', tags: ['1.0'] }), {
      headers: { 'content-type': 'application/json' },
    })
    .persist();
  // A manifest PUT is stored, so reading the tag back finds what was written; nothing else is there.
  const stored = new Map<string, Record<string, string>>();
  registry
    .intercept({ method: 'HEAD', path: (path) => path.startsWith('/v2/acme/app/') })
    .reply((request) => {
      const held = stored.get(request.path);
      return held
        ? { statusCode: 200, data: '', responseOptions: { headers: held } }
        : { statusCode: 404, data: '' };
    })
    .persist();
  registry
    .intercept({ method: (method) => WRITES.has(method), path: () => true })
    .reply((request) => {
      writes.push(`${request.method} ${request.path}`);
      if (request.method === 'PUT' && request.path.includes('/manifests/')) {
        const body = typeof request.body === 'string' ? encode(request.body) : (request.body as Uint8Array);
        stored.set(request.path, {
          'docker-content-digest': sha256Digest(body),
          'content-type': headerOf(request.headers, 'content-type'),
          'content-length': String(body.byteLength),
        });
      }
      return { statusCode: 201, data: '' };
    })
    .persist();
  return writes;
}

interface RunOutcome {
  error: unknown;
  writes: string[];
  /** Info lines and group titles: they reach the log as they are. */
  rawLines: string[];
}

/** One publish run against the scenario's registry, through the real client and transport. */
async function runScenario(s: Scenario): Promise<RunOutcome> {
  const agent = offlineAgent();
  const writes = serve(agent, s);
  const { client, logger } = wireClient(agent);
  let error: unknown;
  try {
    await publish(
      publishRequest({
        sources: [{ text: 'registry.test/acme/src:1.0', kind: 'reference', reference: SOURCE }],
        targets: [TARGET],
        // The mock registry's layers are placeholder bytes, not tars: the property is about registry answers.
        prove: 'config',
      }),
      client,
      logger,
    );
  } catch (caught) {
    error = caught;
  } finally {
    await client.close();
    await agent.close();
  }
  return {
    error,
    writes,
    rawLines: [...logger.infos, ...logger.groups].flatMap((text) => text.split(/\r\n|\r|\n/)),
  };
}

describe('registry responses, whatever they are', () => {
  it('end a run in a result or a ReportedError, with no unhandled rejection and nothing written on failure', async () => {
    const tally = { results: 0, typedErrors: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { error, writes } = await runScenario(s);
        if (error === undefined) {
          tally.results += 1;
          return;
        }
        expect(error).toBeInstanceOf(ReportedError);
        expect(writes).toEqual([]);
        tally.typedErrors += 1;
      }),
      propertyParameters(250),
    );
    expect(unhandled).toEqual([]);
    // A registry that answers well must get a run through, or the property says nothing about successful runs.
    expect(tally.results).toBeGreaterThan(0);
    process.stdout.write(
      `property figures: ${tally.results + tally.typedErrors} registry scenarios, ${tally.results} results, ` +
        `${tally.typedErrors} typed errors, 0 untyped\n`,
    );
  });

  it('log no info line or group title that starts a workflow command', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { rawLines } = await runScenario(s);
        expect(rawLines.filter((line) => line.startsWith('::'))).toEqual([]);
      }),
      propertyParameters(250),
    );
  });
});
