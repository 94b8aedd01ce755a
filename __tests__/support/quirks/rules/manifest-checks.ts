// What a registry checks in a manifest PUT beyond distribution (plan rows 10, 16, 17; Q4, Q5, Q7, GT4, NX2, GL3).
import { errorAnswer, header, jsonBody, type Answer, type Exchange, type Rule } from '../exchange.js';

const isManifestPut = (exchange: Exchange): boolean =>
  exchange.site === 'registry' && exchange.method === 'PUT' && exchange.route?.kind === 'manifests';

/** Row 10: the backend's MANIFEST_BLOB_UNKNOWN for an index with absent children, in the registry's own words. */
export function missingChildren(refusal: (digest: string) => Answer): Rule {
  return {
    quirk: 'row 10 missing index children',
    after(exchange, reply) {
      if (!isManifestPut(exchange) || reply.status !== 400) return reply;
      const errors = (jsonBody(reply.body)?.['errors'] as Array<{ code?: string; detail?: unknown }>) ?? [];
      const missing = errors.find((error) => error.code === 'MANIFEST_BLOB_UNKNOWN');
      return missing === undefined ? reply : refusal(String(missing.detail ?? ''));
    },
  };
}

/** Q4: the Content-Type picks the parser; `application/json` or none is read as schema 1, which an index is not. */
export function contentTypeRequired(): Rule {
  return {
    quirk: 'Q4 manifest Content-Type selects the parser',
    before(exchange) {
      if (!isManifestPut(exchange)) return undefined;
      const type = header(exchange, 'content-type') ?? '';
      if (type !== '' && type !== 'application/json') return undefined;
      return errorAnswer(400, [{ code: 'MANIFEST_INVALID', message: 'manifest invalid' }]);
    },
  };
}

/** Q7 (until 2026-05): an OCI index may not list Docker children. */
export function mixedIndexRefused(): Rule {
  return {
    quirk: 'Q7 OCI index with Docker children refused',
    before(exchange) {
      if (!isManifestPut(exchange)) return undefined;
      const manifest = jsonBody(exchange.body);
      if (manifest?.['mediaType'] !== 'application/vnd.oci.image.index.v1+json') return undefined;
      const children = (manifest['manifests'] as Array<{ mediaType?: string }> | undefined) ?? [];
      const docker = children.find((child) => child.mediaType?.startsWith('application/vnd.docker.'));
      if (docker === undefined) return undefined;
      return errorAnswer(400, [
        {
          code: 'MANIFEST_INVALID',
          message: 'manifest invalid',
          detail: {
            message: `'${docker.mediaType}' is not one of ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.oci.image.index.v1+json']`,
          },
        },
      ]);
    },
  };
}

/** GT4, H5, ACR6: a cap on the manifest size. */
export function manifestSizeCap(bytes: number, refusal: Answer): Rule {
  return {
    quirk: 'manifest size cap',
    before: (exchange) => (isManifestPut(exchange) && exchange.body.length > bytes ? refusal : undefined),
  };
}

/** GL3: a config media type outside the image set is refused (the empty config of OCI 1.1 artifacts passes). */
export function customConfigRefused(): Rule {
  const known = [
    'application/vnd.oci.image.config.v1+json',
    'application/vnd.docker.container.image.v1+json',
    'application/vnd.oci.empty.v1+json',
    'application/vnd.dev.cosign.simplesigning.v1+json',
  ];
  return {
    quirk: 'GL3 unknown config media type refused',
    before(exchange) {
      if (!isManifestPut(exchange)) return undefined;
      const config = jsonBody(exchange.body)?.['config'] as { mediaType?: string } | undefined;
      if (config?.mediaType === undefined || known.includes(config.mediaType)) return undefined;
      return errorAnswer(400, [
        { code: 'MANIFEST_INVALID', message: `unknown media type: ${config.mediaType}` },
      ]);
    },
  };
}
