// Plan rows 6 and 7: GHCR's burst limit on writes (GH7) and Docker Hub's pull accounting (DH6).
import { errorAnswer, type Rule } from '../exchange.js';

/** GH7: more than `burst` writes within `windowMs` are answered 429, the wait only in the message text. */
export function writeBurstLimit(burst: number, windowMs: number): Rule {
  const recent: number[] = [];
  return {
    quirk: 'GH7 429 on write bursts, retry-after in the message',
    before(exchange) {
      const route = exchange.route;
      if (exchange.site !== 'registry') return undefined;
      const write =
        (exchange.method === 'PUT' && route?.kind === 'manifests') ||
        (exchange.method === 'POST' && route?.kind === 'uploads');
      if (!write) return undefined;
      const now = Date.now();
      while (recent.length > 0 && now - recent[0]! > windowMs) recent.shift();
      if (recent.length >= burst) {
        return errorAnswer(429, [
          { code: 'TOOMANYREQUESTS', message: 'retry-after: 12.5ms, allowed: 2000/minute' },
        ]);
      }
      recent.push(now);
      return undefined;
    },
  };
}

/** DH6: manifest GETs count against a pull limit the headers report; HEADs only report it. */
export function pullAccounting(limit: number): Rule {
  let remaining = limit;
  return {
    quirk: 'DH6 pull accounting headers and 429',
    before(exchange) {
      if (exchange.site !== 'registry' || exchange.route?.kind !== 'manifests' || exchange.method !== 'GET') {
        return undefined;
      }
      if (remaining > 0) return undefined;
      return errorAnswer(429, [
        {
          code: 'TOOMANYREQUESTS',
          message:
            'You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: ' +
            'https://www.docker.com/increase-rate-limit',
        },
      ]);
    },
    after(exchange, reply) {
      if (exchange.site !== 'registry' || exchange.route?.kind !== 'manifests') return reply;
      if (exchange.method !== 'GET' && exchange.method !== 'HEAD') return reply;
      if (exchange.method === 'GET' && reply.status === 200) remaining = Math.max(0, remaining - 1);
      return {
        ...reply,
        headers: {
          ...reply.headers,
          'ratelimit-limit': `${limit};w=21600`,
          'ratelimit-remaining': `${remaining};w=21600`,
          'docker-ratelimit-source': '203.0.113.7',
        },
      };
    },
  };
}
