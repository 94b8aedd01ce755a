/**
 * How a registry is recognised from its host, for the quirks that only one registry has. Everything else in this
 * folder is a deviation from the distribution spec that any registry may show, named after the registries known
 * to show it.
 */

export const GHCR_HOST = 'ghcr.io';
export const DOCKER_HUB_HOSTS = ['registry-1.docker.io', 'index.docker.io', 'docker.io'];
// Private ECR: <account>.dkr.ecr.<region>.amazonaws.com (and .com.cn in China).
export const ECR_HOST = /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;
