import { hashPassword } from 'better-auth/crypto';
import postgres from 'postgres';

/** The password of every demo user in `pnpm dev` (shown on the sign-in page in development). */
export const DEMO_PASSWORD = 'demo-password';

/**
 * Gives every user without a password the demo password (Better Auth's own scrypt hash), so
 * the seeded people can sign in. Runs as the owner role, like the seed.
 */
export async function seedDemoCredentials(ownerUrl: string, password = DEMO_PASSWORD): Promise<number> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const users = await sql<{ id: string }[]>`
      select u.id from users u
      where not exists (select 1 from accounts a where a.user_id = u.id and a.provider_id = 'credential')`;
    for (const user of users) {
      await sql`
        insert into accounts (account_id, provider_id, user_id, password)
        values (${user.id}, 'credential', ${user.id}, ${await hashPassword(password)})`;
    }
    return users.length;
  } finally {
    await sql.end();
  }
}
