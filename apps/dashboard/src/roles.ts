import type { Identity, Role } from './api';

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/** Whether the signed-in user has at least `role`; the API checks the same on every call. */
export function can(identity: Identity, role: Role): boolean {
  return RANK[identity.role] >= RANK[role];
}
