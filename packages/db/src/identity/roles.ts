export const ROLES = ['viewer', 'maintainer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, maintainer: 1, admin: 2 };

/** True when `role` grants at least what `min` does. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/** The roles an API key may have: admin work needs a signed-in person (security requirement 24). */
export const API_KEY_ROLES = ['viewer', 'maintainer'] as const satisfies readonly Role[];
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/**
 * What a key may do today, the one place a key's role is capped: its own role, never above its owner's current
 * role, never above the highest key role (an admin key minted before that rule acts as a maintainer).
 */
export function effectiveKeyRole(keyRole: Role, ownerRole: Role): ApiKeyRole {
  return API_KEY_ROLES.findLast((r) => roleAtLeast(keyRole, r) && roleAtLeast(ownerRole, r)) ?? 'viewer';
}

/** Service fields that only some roles may set or change (the API enforces this; the console hides the control). */
export const SERVICE_FIELD_ROLES = { isPublic: 'admin' } as const satisfies Record<string, Role>;

/** A password's length bounds, for the API's schema and the console's forms. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
