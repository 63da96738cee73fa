/** Many tenants for the soak: invoices each, and an API token each. */
import { tenantContextValue } from '@studio/db-schema/config';
import { createApiToken } from '@studio/auth';
import { createDatabase } from '@studio/tenancy';
import postgres from 'postgres';

export interface SoakTenant {
  id: string;
  slug: string;
  token: string;
  invoiceIds: Set<string>;
  customerId: string;
}

export async function seedSoakTenants(urls: { owner: string; app: string }, count: number, invoicesEach: number): Promise<SoakTenant[]> {
  const owner = postgres(urls.owner, { max: 1, onnotice: () => {} });
  const db = createDatabase({ url: urls.app, tenantCache: { listen: false } });
  try {
    await owner`insert into plans (id, name, max_members) values ('free', 'Free', 3) on conflict do nothing`;
    const tenants: SoakTenant[] = [];
    for (let i = 0; i < count; i++) {
      const slug = `soak-${String(i).padStart(3, '0')}`;
      const ids = await owner.begin(async (tx) => {
        const [tenant] = await tx<{ id: string }[]>`insert into tenants (slug, name) values (${slug}, ${`Soak ${i}`}) returning id`;
        const id = tenant!.id;
        await tx`select set_config('app.tenant_context', ${tenantContextValue(id)}, true)`;
        const [customer] = await tx<{ id: string }[]>`insert into customers (tenant_id, name) values (${id}, 'Customer') returning id`;
        const rows = await tx<{ id: string }[]>`
          insert into invoices (tenant_id, customer_id, number, amount_cents)
          select ${id}, ${customer!.id}, 'S-' || g, g * 100 from generate_series(1, ${invoicesEach}::int) g returning id`;
        // Its owner, who makes the token: a token works only while its maker may make tokens (C14).
        const [user] = await tx<{ id: string }[]>`insert into users (email, name, email_verified) values (${`owner@${slug}.test`}, ${`Owner ${i}`}, true) returning id`;
        await tx`insert into memberships (tenant_id, user_id, role) values (${id}, ${user!.id}, 'owner')`;
        return { id, ownerId: user!.id, customerId: customer!.id, invoiceIds: new Set(rows.map((r) => r.id)) };
      });
      const token = await db.withTenant(ids.id, (tdb) => createApiToken(tdb, { name: 'soak', createdBy: ids.ownerId, scopes: ['invoices:read', 'invoices:write'] }));
      tenants.push({ id: ids.id, slug, token: token.token, invoiceIds: ids.invoiceIds, customerId: ids.customerId });
    }
    return tenants;
  } finally {
    await db.close();
    await owner.end();
  }
}
