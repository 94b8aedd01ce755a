/** How the tools reach the registries: plain HTTP, or HTTPS with a token server, offering HTTP/2 or only HTTP/1.1. */
export type Wire = 'plain' | 'h2' | 'h1';

/** Where the index goes: the sources' repository, another repository (blob mounts), another registry (copies). */
export type Route = 'same' | 'cross-repo' | 'cross-registry';

export interface Scenario {
  wire: Wire;
  route: Route;
  platforms: number;
  tags: number;
  /** Added latency, each way. */
  delayMs: number;
}

const WIRE_LABELS: Record<Wire, string> = {
  plain: 'plain HTTP',
  h2: 'HTTPS + token, HTTP/2',
  h1: 'HTTPS + token, HTTP/1.1',
};
const ROUTE_LABELS: Record<Route, string> = {
  same: 'same repository',
  'cross-repo': 'cross-repository (mounts)',
  'cross-registry': 'cross-registry copy',
};

export const scenarioLabel = ({ wire, route, platforms, tags }: Scenario): string =>
  `${WIRE_LABELS[wire]}, ${ROUTE_LABELS[route]}, ${platforms}×${tags}`;

export const scenarioKey = (scenario: Scenario): string =>
  `${scenario.wire}|${scenario.route}|${scenario.platforms}x${scenario.tags}|${scenario.delayMs}`;

const at = (delaysMs: number[], base: Omit<Scenario, 'delayMs'>): Scenario[] =>
  delaysMs.map((delayMs) => ({ ...base, delayMs }));

/** The scenarios of issue 20's targets, in the order they are run and shown. */
export const SCENARIOS: Scenario[] = [
  ...at([25], { wire: 'plain', route: 'same', platforms: 2, tags: 1 }),
  ...at([25], { wire: 'plain', route: 'same', platforms: 7, tags: 2 }),
  ...at([25], { wire: 'plain', route: 'same', platforms: 16, tags: 3 }),
  ...at([25, 75], { wire: 'h2', route: 'same', platforms: 7, tags: 2 }),
  ...at([25, 75], { wire: 'h2', route: 'cross-repo', platforms: 7, tags: 2 }),
  ...at([25, 75], { wire: 'h2', route: 'cross-registry', platforms: 7, tags: 2 }),
  ...at([25], { wire: 'h1', route: 'same', platforms: 7, tags: 2 }),
  ...at([25], { wire: 'h1', route: 'cross-repo', platforms: 7, tags: 2 }),
  ...at([25], { wire: 'h1', route: 'cross-registry', platforms: 7, tags: 2 }),
];
