import { ReportedError } from '../../common/reported-error.js';

/** The run's deadline (the `timeout` input) passed while a request was in flight; names what it was waiting for. */
export class TimedOutError extends ReportedError {
  override name = 'TimedOutError';
  readonly title: string = 'Timed out';

  override hints(): string[] {
    return [
      'The registry did not answer in time: check that it is up and reachable from the runner, or raise `timeout`.',
    ];
  }
}
