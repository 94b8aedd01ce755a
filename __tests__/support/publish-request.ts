// A publish request with the action's defaults, as parseInputs returns it; tests override what they vary.
import type { PublishRequest } from '../../src/publish/request.js';

export const target = { registry: 'ghcr.io', repository: 'acme/app', tag: '1.0' };

/** A request as parseInputs would return it for one ghcr.io target. */
export function publishRequest(overrides: Partial<PublishRequest> = {}): PublishRequest {
  return {
    sources: [],
    targets: [target],
    platforms: [],
    format: 'auto',
    indexAnnotations: {},
    descriptorAnnotations: [],
    attestations: 'keep',
    referrers: 'copy',
    append: false,
    push: true,
    prove: 'binaries',
    ...overrides,
  };
}
