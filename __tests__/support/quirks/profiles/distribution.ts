// Stock distribution 3 (§0): the baseline every profile deviates from. Token auth, DELETE by tag untags (v3), no
// referrers API (B4, the backend's own 404), absolute upload Locations (B7).
import type { RegistryProfile } from '../profile.js';
import { bearerAuth } from '../rules/auth.js';
import { deleteTagUntags } from '../rules/deletes.js';

const login = { username: 'distribution-user', password: 'distribution-password' };

export const distribution: RegistryProfile = {
  id: 'distribution',
  name: 'distribution (registry:3)',
  login,
  loginStep: "docker/login-action with the registry's user and password",
  deletesTags: true,
  referrers: 'tag',
  immutableTags: false,
  mixedFormats: true,
  rules: () => [
    ...bearerAuth({ service: 'registry', tokenPath: '/token', login, fields: 'both', deleteAction: true }),
    deleteTagUntags(),
  ],
};
