/** An HTTP peer (registry or token server) answered with a status the harness did not expect. */
export class UnexpectedStatusError extends Error {
  override readonly name = 'UnexpectedStatusError';

  constructor(
    readonly action: string,
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`failed to ${action}: ${method} ${url} answered ${status}: ${body.slice(0, 500)}`);
  }
}
