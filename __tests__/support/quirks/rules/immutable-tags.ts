// Plan rows 8 and 21 (ECR9, H3, Q11, ACR4, DH10, NX3): tags that may not be overwritten (nor deleted) once they
// exist, in the repositories an immutability setting covers. Each registry refuses in its own words.
import { ACCEPT_MANIFESTS, isDigest, type Answer, type Rule } from '../exchange.js';

export interface ImmutableTags {
  /** The repositories the setting covers. */
  repositories: RegExp;
  refusal(repo: string, tag: string): Answer;
}

export function immutableTags({ repositories, refusal }: ImmutableTags): Rule {
  return {
    quirk: 'immutable tags',
    async before(exchange, context) {
      const route = exchange.route;
      if (exchange.site !== 'registry' || route?.kind !== 'manifests' || isDigest(route.reference))
        return undefined;
      if ((exchange.method !== 'PUT' && exchange.method !== 'DELETE') || !repositories.test(route.repo)) {
        return undefined;
      }
      // ECR9: even a write of the digest the tag already holds is refused.
      const held = await context.forward(exchange, { method: 'HEAD', headers: ACCEPT_MANIFESTS });
      return held.status === 200 ? refusal(route.repo, route.reference) : undefined;
    },
  };
}
