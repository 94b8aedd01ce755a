import { ReportedError } from '../../common/reported-error.js';

/**
 * The run's deadline (the `timeout` input) passed, or the job was cancelled, while a request was in flight; names
 * what it was waiting for. The signal's reason is the cause: when it knows its own title (a cancellation), that
 * title names the failure.
 */
export class TimedOutError extends ReportedError {
  override name = 'TimedOutError';

  get title(): string {
    return this.cause instanceof ReportedError ? this.cause.title : 'Timed out';
  }

  override hints(): string[] {
    if (this.cause instanceof ReportedError) return [];
    return [
      'The registry did not answer in time: check that it is up and reachable from the runner, or raise `timeout`.',
    ];
  }
}
