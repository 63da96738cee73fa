import { databaseUrls, readDbEnv, DatabaseConfigError } from '@studio/db-schema/config';

/** Where a product connects: DATABASE_APP_URL, or the app role on DATABASE_URL's database. */
export function appDatabaseUrl(env: Record<string, string | undefined> = process.env): string {
  const parsed = readDbEnv(env);
  if (parsed.DATABASE_APP_URL) return parsed.DATABASE_APP_URL;
  if (parsed.DATABASE_URL) return databaseUrls(parsed.DATABASE_URL, parsed).app;
  throw new DatabaseConfigError(
    'No database configured: set DATABASE_APP_URL (or DATABASE_URL), or start everything with `pnpm dev`.',
  );
}
