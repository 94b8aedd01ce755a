import type { PublishRequest } from '../../publish/request.js';

/** What a run was asked to do: publish, a dry run (push: false with tags), or verify mode (push: false, no tags). */
export type RunKind = 'publish' | 'dry run' | 'verify';

/** The kind of run `request` asks for; a run whose inputs were refused counts as the publish it was meant to be. */
export function runKind(request: PublishRequest | undefined): RunKind {
  if (request === undefined || request.push) return 'publish';
  return request.targets.length === 0 ? 'verify' : 'dry run';
}

const SUCCESS: Record<RunKind, string> = {
  publish: 'Multi-platform image published',
  'dry run': 'Multi-platform image: dry run, nothing was pushed',
  verify: 'Sources verified: nothing was written (verify mode)',
};

const FAILURE: Record<RunKind, string> = {
  publish: 'Multi-platform image not published',
  'dry run': 'Dry run failed',
  verify: 'Sources not verified',
};

export function successHeading(kind: RunKind): string {
  return SUCCESS[kind];
}

/** The heading of a failed run: its kind, then the error's title. */
export function failureHeading(kind: RunKind, title: string): string {
  return `${FAILURE[kind]}: ${title}`;
}
