import { Agent } from 'undici';

/**
 * The harness's own connection pool: tests may install a global undici dispatcher (MockAgent) for the code
 * under test, and the oracle must keep talking to the real peers regardless.
 */
export const harnessDispatcher = new Agent({ connections: 8, headersTimeout: 30_000, bodyTimeout: 30_000 });
