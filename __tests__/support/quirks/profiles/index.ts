import type { RegistryProfile } from '../profile.js';
import { acr } from './acr.js';
import { artifactory } from './artifactory.js';
import { distribution } from './distribution.js';
import { dockerHub } from './docker-hub.js';
import { ecr } from './ecr.js';
import { ecrPublic } from './ecr-public.js';
import { gar } from './gar.js';
import { gitea } from './gitea.js';
import { gitlab } from './gitlab.js';
import { harbor } from './harbor.js';
import { nexus } from './nexus.js';
import { ghcr } from './ghcr.js';
import { quay } from './quay.js';

/** Every profile, the baseline first, then by how many users publish there (the catalogue's ranking). */
export const PROFILES: RegistryProfile[] = [
  distribution,
  ghcr,
  dockerHub,
  ecr,
  ecrPublic,
  gar,
  acr,
  quay,
  harbor,
  gitlab,
  artifactory,
  nexus,
  gitea,
];
