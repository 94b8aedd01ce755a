// A registry profile: the rules that make the backend answer as one registry does, and what a user of that
// registry can expect (which the matrix test holds the action to).
import type { Rule } from './exchange.js';
import type { Login } from './rules/auth.js';

export interface RegistryProfile {
  id: string;
  /** As the README's table names it. */
  name: string;
  login: Login;
  /** The workflow step that logs in to it, for the README. */
  loginStep: string;
  /** Whether DELETE of a tag works through the registry API (rollback of a tag the run created). */
  deletesTags: boolean;
  /**
   * Where SBOMs and attestations attached by subject are found: its referrers API, the referrers tag, or nowhere
   * (GitLab reads the referrers tag as the digest it names: only cosign's tags carry signatures there).
   */
  referrers: 'api' | 'tag' | 'cosign tags only';
  /** The repositories its tag immutability covers in the matrix (`<id>/locked`), when it has any. */
  immutableTags: boolean;
  /** Whether it takes an OCI index listing Docker manifests (older Quay does not). */
  mixedFormats: boolean;
  /** Fresh rules (and state) for one emulated registry. */
  rules(): Rule[];
}

/** The repository name the immutability rules of a profile cover. */
export const LOCKED = /\/locked$/;
