/**
 * `@studio/tenancy/env`: the tenancy layer's piece of an app's environment schema and the helpers
 * behind its rules (./env-schema), and a product app's src/env.ts and next.config.ts in one call
 * each (./app-env: defineAppEnv, productNextConfig; issue 20). Two modules, so that app-env can
 * build on env-schema without an import cycle.
 */
export * from './env-schema';
export { defineAppEnv, productNextConfig, type AppDatabase, type AppEnv, type AppEnvOptions, type AppEnvSettings } from './app-env';
