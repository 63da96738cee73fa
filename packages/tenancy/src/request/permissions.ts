/** A member's role in a tenant (C7); permissions are granted per role. */
export type TenantRole = 'owner' | 'admin' | 'member';

/** What a caller may do inside a tenant: `<resource>:<verb>`, e.g. `invoices:write`. */
export type Permission = `${string}:${string}`;

/**
 * What a page, route handler or server action needs, declared in its first lines (C14):
 * a permission of the product's table, `'member'` (anyone who belongs to the tenant), or
 * `'platform-admin'` (the console). Open pages declare `publicAccess(...)` instead.
 */
export type Need<P extends Permission = Permission> = P | 'member' | 'platform-admin';

const ROLES: readonly TenantRole[] = ['member', 'admin', 'owner'];
const PERMISSION = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;

export interface PermissionSpec<P extends Permission> {
  /** Each role's permissions. A role has exactly what is listed: nothing is inherited by name. */
  roles: Readonly<Record<TenantRole, readonly P[]>>;
  /** The permissions an API token may carry as scopes (the JSON API's rights, never a page's). */
  tokenScopes?: readonly P[];
  /** The right to make and revoke API tokens; a token stops working when its maker loses it. */
  manageTokens?: P;
}

export interface PermissionTable<P extends Permission = Permission> {
  readonly roles: Readonly<Record<TenantRole, readonly P[]>>;
  /** Every permission of the product, once each. */
  readonly all: readonly P[];
  readonly tokenScopes: readonly P[];
  readonly manageTokens: P | null;
  /** True when `role` carries `permission`; false for no role (a token, a stranger). */
  has(role: TenantRole | null | undefined, permission: string): boolean;
  /** The permissions of a role. */
  of(role: TenantRole): ReadonlySet<P>;
  /** The scopes of a token its maker (of role `makerRole`) may still grant: asked ∩ tokenScopes ∩ the maker's. */
  grantable(scopes: readonly string[], makerRole: TenantRole | null): P[];
}

/**
 * A product's role -> permissions table, in one file (`src/permissions.ts`). Code checks
 * permissions, never role names (C7); the matrix kit reads this table to know what each kind
 * of caller must be answered.
 */
export function definePermissions<const P extends Permission>(spec: PermissionSpec<P>): PermissionTable<P> {
  const sets = new Map<TenantRole, ReadonlySet<P>>();
  const all = new Set<P>();
  for (const role of ROLES) {
    const listed = spec.roles[role];
    if (!listed) throw new TypeError(`definePermissions: the table has no row for the role '${role}'.`);
    for (const p of listed) {
      if (!PERMISSION.test(p)) throw new TypeError(`definePermissions: '${p}' is not a permission; write <resource>:<verb> in lowercase, e.g. invoices:write.`);
      all.add(p);
    }
    sets.set(role, new Set(listed));
  }
  const tokenScopes = [...(spec.tokenScopes ?? [])];
  for (const scope of tokenScopes) {
    if (!all.has(scope)) throw new TypeError(`definePermissions: the token scope '${scope}' is not a permission of any role.`);
  }
  const manageTokens = spec.manageTokens ?? null;
  if (manageTokens !== null && tokenScopes.includes(manageTokens)) {
    throw new TypeError(`definePermissions: '${manageTokens}' makes tokens, so no token may carry it (a token cannot mint tokens).`);
  }
  const has = (role: TenantRole | null | undefined, permission: string) => role != null && (sets.get(role)?.has(permission as P) ?? false);
  return {
    roles: spec.roles,
    all: [...all],
    tokenScopes,
    manageTokens,
    has,
    of: (role) => sets.get(role) ?? new Set(),
    grantable: (scopes, makerRole) => tokenScopes.filter((s) => scopes.includes(s) && has(makerRole, s)),
  };
}

/** True when `need` names a permission (rather than 'member' or 'platform-admin'). */
export function isPermission(need: string): need is Permission {
  return PERMISSION.test(need);
}

/**
 * The declaration of a page or route that anyone may open (sign-in, sign-out, an invitation
 * link, a landing page). It does nothing at run time; it says, where a reader and the matrix kit
 * look, that the entry point is open on purpose, and why.
 */
export function publicAccess(_why: string): void {}
