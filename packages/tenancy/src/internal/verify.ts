/**
 * Fail closed at start (C5): before the first tenant statement on a database, prove the
 * connection can hold transaction-local tenant context. Refuses a superuser (bypasses RLS,
 * even FORCEd), and in RLS mode a BYPASSRLS role, a role that owns tenant tables, or tenant
 * tables without ENABLE + FORCE row-level security. Then checks that a transaction-local
 * setting really ends with its transaction (a pooler in statement mode would break that).
 */
import type { Sql } from 'postgres';
import { DEV_TENANT_CONTEXT_KEY, TENANT_CONTEXT_SETTING, TenantContextSigner } from '@studio/db-schema/tenant-context';
import { UnsafeDatabaseRoleError } from '../errors';
import type { EnforcementMode } from '../scoped/tenant-db';

export interface VerifyOptions {
  mode: EnforcementMode;
  /** Every tenant table, and those of them that RLS must protect. */
  tenantTables: string[];
  rlsTables: string[];
  /** Where this connects, for the messages ('shared' or a placement key). */
  placement: string;
  /** Signs the tenant context: its key must be one the database verifies with. */
  signer: TenantContextSigner;
}

const APP_ROLE_HINT =
  'Connect products as the app role: DATABASE_APP_URL, or DATABASE_URL from which the app role URL is derived (`pnpm db:migrate` creates the role).';

export async function verifyConnection(sql: Sql, options: VerifyOptions): Promise<void> {
  const [role] = await sql<{ name: string; superuser: boolean; bypassrls: boolean; owned: string[]; unprotected: string[] }[]>`
    select r.rolname as name, r.rolsuper as superuser, r.rolbypassrls as bypassrls,
      array(
        select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relname = any(${options.tenantTables}::text[])
          and pg_has_role(current_user, c.relowner, 'USAGE')
        order by 1
      ) as owned,
      array(
        select t from unnest(${options.rlsTables}::text[]) t
        where not exists (
          select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relname = t and c.relrowsecurity and c.relforcerowsecurity
        )
        order by 1
      ) as unprotected
    from pg_roles r where r.rolname = current_user`;
  if (!role) throw new UnsafeDatabaseRoleError('Could not read the current role from pg_roles.');
  const where = `database "${options.placement}"`;
  if (role.superuser) {
    throw new UnsafeDatabaseRoleError(
      `Refusing tenant queries on ${where} as role "${role.name}": it is a superuser, and superusers bypass row-level security even with FORCE. ${APP_ROLE_HINT}`,
    );
  }
  if (options.mode === 'rls') {
    if (role.bypassrls) {
      throw new UnsafeDatabaseRoleError(
        `Refusing tenant queries on ${where} as role "${role.name}": it has BYPASSRLS, so row-level security would not apply. BYPASSRLS belongs to the admin role (apps/admin) only. ${APP_ROLE_HINT}`,
      );
    }
    if (role.owned.length) {
      throw new UnsafeDatabaseRoleError(
        `Refusing tenant queries on ${where} as role "${role.name}": it owns (or is a member of the owner of) ${role.owned.join(', ')}. The owner runs migrations; products use the app role. ${APP_ROLE_HINT}`,
      );
    }
    if (role.unprotected.length) {
      throw new UnsafeDatabaseRoleError(
        `Refusing tenant queries on ${where}: ${role.unprotected.join(', ')} lack ENABLE + FORCE ROW LEVEL SECURITY. Run \`pnpm db:migrate\`, then \`pnpm db:check\` to see what drifted.`,
      );
    }
  }
  const conn = await sql.reserve();
  try {
    const probe = '00000000-0000-4000-8000-000000000000';
    const devSigner = new TenantContextSigner(DEV_TENANT_CONTEXT_KEY);
    const [, , [inside], , [dev], , [after]] = await Promise.all([
      conn.unsafe('begin'),
      conn`select set_config(${TENANT_CONTEXT_SETTING}, ${options.signer.sign(probe)}, true)`,
      conn<{ verified: string | null; conforming: string; rowSecurity: string }[]>`
        select studio_tenant()::text as verified, current_setting('standard_conforming_strings') as conforming,
          current_setting('row_security') as "rowSecurity"`,
      conn`select set_config(${TENANT_CONTEXT_SETTING}, ${devSigner.sign(probe)}, true)`,
      conn<{ verified: string | null }[]>`select studio_tenant()::text as verified`,
      conn.unsafe('commit'),
      conn<{ value: string | null }[]>`select current_setting(${TENANT_CONTEXT_SETTING}, true) as value`,
    ]);
    // Behind PgBouncer the pools cannot pin these: a role-level setting could have changed them.
    if (inside?.conforming !== 'on' || inside.rowSecurity !== 'on') {
      throw new UnsafeDatabaseRoleError(
        `Refusing tenant queries on ${where}: standard_conforming_strings is ${inside?.conforming} and row_security is ${inside?.rowSecurity}; both must be on ` +
          '(the query guard reads string literals as the server does only with standard_conforming_strings on). Remove the role-level setting (`ALTER ROLE ... RESET ...`), or set them in the pooler.',
      );
    }
    if (options.signer.keyId !== devSigner.keyId && dev?.verified === probe) {
      throw new UnsafeDatabaseRoleError(
        `Refusing tenant queries on ${where}: the database still trusts the public development tenant-context key (key id ${devSigner.keyId}), whose text is in this repository. ` +
          `Delete it as the owner: delete from studio_private.context_keys where kid = '${devSigner.keyId}'.`,
      );
    }
    if ((after?.value ?? '') !== '') {
      throw new UnsafeDatabaseRoleError(
        `Refusing tenant queries on ${where}: ${TENANT_CONTEXT_SETTING} set with set_config(..., true) did not end with its transaction (it read a value afterwards). ` +
          'Connect directly or through a pooler in session/transaction mode that keeps a transaction on one server connection.',
      );
    }
    if (inside?.verified !== probe) {
      throw new UnsafeDatabaseRoleError(
        `Refusing tenant queries on ${where}: the database does not accept this app's tenant context key (key id ${options.signer.keyId}), so every tenant query would see nothing. ` +
          'Give the app and `pnpm db:migrate` the same TENANT_CONTEXT_KEY, and run `pnpm db:migrate` (it stores the key).',
      );
    }
  } finally {
    conn.release();
  }
}
