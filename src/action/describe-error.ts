import { causeChain, messageWithCauses } from '../common/causes.js';
import { redact } from './log.js';
import { ReportedError } from '../common/reported-error.js';

/** A failure as the run reports it: an annotation title and a message (causes and hints included, no stack). */
export interface ErrorDescription {
  title: string;
  message: string;
}

/**
 * Describes a failure for the user: the outermost title, every message in the cause chain, every hint; credentials
 * quoted from inputs or realms are redacted.
 */
export function describeError(error: unknown): ErrorDescription {
  const chain = causeChain(error);
  // The outermost error that knows its title names the failure; every error in the chain may add hints.
  const reported = chain.filter((item): item is ReportedError => item instanceof ReportedError);
  const hints = reported.flatMap((item) => item.hints());
  const message = [messageWithCauses(error), ...new Set(hints)].join('\n');
  return { title: reported[0]?.title ?? 'Publish failed', message: redact(message) };
}
