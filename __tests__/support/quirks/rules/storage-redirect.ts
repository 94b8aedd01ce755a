// Plan row 1 (GH6, DH5, ECR6, ACR3, Q3, H9, X3): a blob download is redirected to a storage host on another
// origin, with the signature in the query. The storage host refuses any Authorization header (S3 and Azure both
// do), refuses HEAD, and refuses a signature past its lifetime.
import { createHmac } from 'node:crypto';
import { answer, header, type Answer, type Rule } from '../exchange.js';

export interface StorageRedirect {
  /** 307 (most), 302 (Quay). */
  status: 302 | 307;
  /** What the storage host answers a request carrying Authorization. */
  refusal: 'S3' | 'Azure';
  /** How long a signed URL is valid. */
  ttlSeconds?: number;
}

const KEY = 'quirk-storage-key';
const sign = (path: string, date: string): string =>
  createHmac('sha256', KEY).update(`${path}\n${date}`).digest('hex');

const REFUSALS: Record<StorageRedirect['refusal'], Answer> = {
  S3: answer(
    400,
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism ' +
      'allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization ' +
      'header should be specified</Message></Error>',
    { 'content-type': 'application/xml' },
  ),
  Azure: answer(
    400,
    '<?xml version="1.0" encoding="utf-8"?><Error><Code>InvalidAuthenticationInfo</Code><Message>Authentication ' +
      'information is not given in the correct format. Check the value of Authorization header.</Message></Error>',
    { 'content-type': 'application/xml', server: 'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0' },
  ),
};

export function storageRedirect(options: StorageRedirect): Rule {
  const ttl = options.ttlSeconds ?? 300;
  return {
    quirk: 'row 1: blob GET redirected to a storage host that refuses Authorization',
    async before(exchange, context) {
      if (exchange.site === 'storage') {
        if (header(exchange, 'authorization') !== undefined) return REFUSALS[options.refusal];
        if (exchange.method !== 'GET') return answer(403);
        const query = exchange.url.searchParams;
        const date = query.get('X-Amz-Date') ?? '';
        if (query.get('X-Amz-Signature') !== sign(exchange.url.pathname, date))
          return answer(403, 'SignatureDoesNotMatch');
        if (Date.now() - Number(date) > ttl * 1000) return answer(403, 'Request has expired');
        const [, repo, digest] = /^\/blobs\/([^/]+)\/(.+)$/.exec(exchange.url.pathname) ?? [];
        const blob = await context.forward(exchange, {
          path: `/v2/${decodeURIComponent(repo ?? '')}/blobs/${digest ?? ''}`,
        });
        return { ...blob, headers: { 'content-type': 'application/octet-stream' } };
      }
      const route = exchange.route;
      if (exchange.site !== 'registry' || exchange.method !== 'GET' || route?.kind !== 'blobs')
        return undefined;
      const held = await context.forward(exchange, { method: 'HEAD' });
      if (held.status !== 200) return undefined;
      const path = `/blobs/${encodeURIComponent(route.repo)}/${route.reference}`;
      const date = String(Date.now());
      const query = new URLSearchParams({
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Date': date,
        'X-Amz-Expires': String(ttl),
        'X-Amz-Signature': sign(path, date),
      });
      return answer(options.status, '', { location: `http://${context.hosts.storage}${path}?${query}` });
    },
  };
}
