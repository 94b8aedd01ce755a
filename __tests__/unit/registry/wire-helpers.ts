// Shared by the registry wire tests: a MockAgent that refuses the network, a fake clock whose sleeps are recorded,
// a logger that records, and readers for what the mock peer received.
import { MockAgent } from 'undici';
import type { RetryPolicy } from '../../../src/registry/http/retry.js';

/** A MockAgent with the network disabled: every request must hit an interceptor. */
export function offlineAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

/** A retry policy whose sleep records the requested delays and advances the fake clock by them. */
export function fakeRetry(startMs = Date.parse('2026-10-21T07:28:00Z')): {
  policy: Partial<RetryPolicy>;
  sleeps: number[];
} {
  let clock = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    policy: {
      now: () => clock,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    },
  };
}

/** What a MockAgent reply callback is given about the request (the parts we read). */
interface ReceivedRequest {
  headers?: unknown;
  body?: unknown;
}

/** A request header as the mock peer received it (case-insensitive), or undefined. */
export function receivedHeader(request: ReceivedRequest, name: string): string | undefined {
  const { headers } = request;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (typeof headers !== 'object' || headers === null) return undefined;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return entry === undefined ? undefined : String(entry[1]);
}

/** The request body as the mock peer received it, as text. */
export async function receivedBody(request: ReceivedRequest): Promise<string> {
  const { body } = request;
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
