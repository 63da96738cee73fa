import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { tenantContextKey } from './config';
import * as schema from './schema/index';
import { CITUS_PROPAGATE_SET_COMMANDS, setLocalTenantContextSql, TenantContextSigner } from './tenant-context';

/**
 * Demo data: three tenants with users, customers, invoices and lesson plans; one platform admin;
 * one user who belongs to two tenants. Runs as the owner role, which RLS also binds (FORCE), so
 * tenant rows are written under each tenant's own signed context, as the products write them.
 */

export const demoTenants = [
  { slug: 'acme', name: 'Acme Corp', primaryColor: '#dc2626', customers: 12, invoices: 40, lessons: 6 },
  { slug: 'globex', name: 'Globex', primaryColor: '#16a34a', customers: 8, invoices: 25, lessons: 4 },
  { slug: 'initech', name: 'Initech', primaryColor: '#7c3aed', customers: 5, invoices: 12, lessons: 3 },
] as const;

export const demoUsers = [
  { email: 'alice@acme.test', name: 'Alice Acme', memberships: [['acme', 'owner']] },
  { email: 'bob@globex.test', name: 'Bob Globex', memberships: [['globex', 'owner']] },
  { email: 'carol@initech.test', name: 'Carol Initech', memberships: [['initech', 'owner']] },
  // In two tenants: the tenant switcher has something to switch.
  { email: 'dave@example.test', name: 'Dave Both', memberships: [['acme', 'member'], ['globex', 'admin']] },
  { email: 'admin@studio.test', name: 'Platform Admin', memberships: [], platformAdmin: true },
] as const;

export interface SeedResult {
  seeded: boolean;
  tenants: number;
}

/** A small deterministic generator (mulberry32), so every machine gets the same demo data; numbers in [0, 1). Benches and property tests use it too. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const companyWords = ['Blue', 'River', 'Summit', 'Oak', 'Nova', 'Pixel', 'Harbor', 'Cedar', 'Atlas', 'Maple', 'Iron', 'Lumen'];
const companyKinds = ['Labs', 'Foods', 'Logistics', 'Studio', 'Partners', 'Works', 'Systems', 'Bakery'];
const subjects = ['Mathematics', 'History', 'Biology', 'Literature', 'Physics', 'Art'];

/** Seeds the database at `ownerUrl` (the owner role) unless the demo tenants are already there. */
export async function seedDemo(ownerUrl: string, contextKey: string = tenantContextKey()): Promise<SeedResult> {
  const signer = new TenantContextSigner(contextKey);
  const client = postgres(ownerUrl, { max: 1, onnotice: () => {}, connection: { ...CITUS_PROPAGATE_SET_COMMANDS } });
  const db = drizzle(client, { schema });
  try {
    const existing = await db.select({ id: schema.tenants.id }).from(schema.tenants).where(eq(schema.tenants.slug, 'acme'));
    if (existing.length > 0) return { seeded: false, tenants: demoTenants.length };

    await db.transaction(async (tx) => {
      await tx
        .insert(schema.plans)
        .values([
          { id: 'free', name: 'Free', maxMembers: 3, monthlyPriceCents: 0 },
          { id: 'pro', name: 'Pro', maxMembers: 50, monthlyPriceCents: 4900 },
        ])
        .onConflictDoNothing();
      const tenantRows = await tx
        .insert(schema.tenants)
        .values(
          demoTenants.map((t) => ({
            slug: t.slug,
            name: t.name,
            plan: t.slug === 'acme' ? 'pro' : 'free',
            branding: { primaryColor: t.primaryColor },
          })),
        )
        .returning();
      const tenantId = (slug: string) => tenantRows.find((row) => row.slug === slug)!.id;
      const userRows = await tx
        .insert(schema.users)
        .values(demoUsers.map((u) => ({ email: u.email, name: u.name, emailVerified: true, isPlatformAdmin: 'platformAdmin' in u })))
        .returning();
      await tx.insert(schema.memberships).values(
        demoUsers.flatMap((u) =>
          u.memberships.map(([slug, role]) => ({
            tenantId: tenantId(slug),
            userId: userRows.find((row) => row.email === u.email)!.id,
            role,
          })),
        ),
      );

      for (const [index, tenant] of demoTenants.entries()) {
        const id = tenantId(tenant.slug);
        const next = seededRandom(index + 1);
        const owner = userRows.find((row) => row.email === demoUsers[index]!.email)!;
        // Transaction-local, like every tenant statement: RLS (FORCE) binds the owner too.
        // SET LOCAL, not set_config: on Citus only SET LOCAL reaches the workers (the connection
        // pins citus.propagate_set_commands).
        await tx.execute(sql.raw(setLocalTenantContextSql(signer.sign(id))));
        const customerRows = await tx
          .insert(schema.customers)
          .values(
            Array.from({ length: tenant.customers }, (_, i) => {
              const name = `${companyWords[(i + index * 3) % companyWords.length]} ${companyKinds[i % companyKinds.length]}`;
              return { tenantId: id, name, email: `billing${i + 1}@${tenant.slug}-client.test` };
            }),
          )
          .returning({ id: schema.customers.id });
        const statuses = ['draft', 'sent', 'paid', 'paid', 'void'] as const;
        const invoiceRows = await tx.insert(schema.invoices).values(
          Array.from({ length: tenant.invoices }, (_, i) => {
            const issued = new Date(Date.UTC(2026, 0, 1 + i * 5));
            return {
              tenantId: id,
              customerId: customerRows[Math.floor(next() * customerRows.length)]!.id,
              number: `${tenant.slug.toUpperCase()}-${String(i + 1).padStart(4, '0')}`,
              status: statuses[Math.floor(next() * statuses.length)]!,
              amountCents: 5_000 + Math.floor(next() * 500_000),
              issuedOn: issued.toISOString().slice(0, 10),
              dueOn: new Date(issued.getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
            };
          }),
        ).returning({ id: schema.invoices.id, amountCents: schema.invoices.amountCents });
        // Line items summing to each invoice's total (amount_cents stays the stored total).
        await tx.insert(schema.invoiceLines).values(
          invoiceRows.flatMap((invoice, i) =>
            i % 2 === 0
              ? [
                  { tenantId: id, invoiceId: invoice.id, position: 0, description: 'Project work', quantity: 1, unitAmountCents: invoice.amountCents - 5_000 },
                  { tenantId: id, invoiceId: invoice.id, position: 1, description: 'Hosting (monthly)', quantity: 2, unitAmountCents: 2_500 },
                ]
              : [{ tenantId: id, invoiceId: invoice.id, position: 0, description: 'Consulting services', quantity: 1, unitAmountCents: invoice.amountCents }],
          ),
        );
        await tx.insert(schema.lessonPlans).values(
          Array.from({ length: tenant.lessons }, (_, i) => ({
            tenantId: id,
            title: `${subjects[(i + index) % subjects.length]} unit ${i + 1}`,
            subject: subjects[(i + index) % subjects.length]!,
            body: `Goals, materials and activities for week ${i + 1} at ${tenant.name}.`,
            authorId: owner.id,
            shared: i % 2 === 0,
          })),
        );
      }
    });
    return { seeded: true, tenants: demoTenants.length };
  } finally {
    await client.end();
  }
}
