export const ROLES = ['viewer', 'maintainer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, maintainer: 1, admin: 2 };

/** True when `role` grants at least what `min` does. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/** The lesser of two roles: what a key may do under its owner's current role. */
export function lesserRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

/** Service fields that only some roles may set or change (the API enforces this; the console hides the control). */
export const SERVICE_FIELD_ROLES = { isPublic: 'admin' } as const satisfies Record<string, Role>;
