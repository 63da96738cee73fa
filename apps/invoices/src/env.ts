import { appDatabaseUrl, placementsFromEnv } from '@studio/tenancy';

/** The app's settings, validated when first read; no other file reads process.env. */
export const env = {
  get databaseUrl() {
    return appDatabaseUrl(process.env);
  },
  get placements() {
    return placementsFromEnv(process.env);
  },
};
