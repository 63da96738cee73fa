import { appDatabaseUrl } from '@studio/tenancy';

/** The app's settings, validated once at start; no other file reads process.env. */
export const env = {
  get databaseUrl() {
    return appDatabaseUrl(process.env);
  },
};
