import type { Logger } from '../registry/logger.js';

/** The registry client's logger plus phases, which the action shows as collapsible log groups. */
export interface PublishLogger extends Logger {
  group<T>(title: string, work: () => Promise<T>): Promise<T>;
}
