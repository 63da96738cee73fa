// What the global setups hand to test files through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the run's Postgres server (from @studio/vitest-config/postgres-setup). */
    pgServerUrl: string;
    /** 'embedded' or 'service'. */
    pgServerKind: string;
    /** Name of the migrated template database of this run. */
    studioTemplateDatabase: string;
    /** The Citus phase's one distributed database (superuser URL), or '' (CITUS_URL unset; testing/citus-setup). */
    studioCitusDatabase: string;
  }
}

export {};
