// The seed's RBAC roles, each including the ones below it: admin ≥ approver ≥ editor ≥ viewer.
export const ROLES = ['viewer', 'editor', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}

/** Who a verified token says is asking. */
export interface Principal {
  sub: string;
  role: Role;
}
