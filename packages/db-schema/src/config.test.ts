import { describe, expect, it } from 'vitest';
import { databaseUrls, readDbEnv, redactUrl, rolesFromEnv } from './config';

describe('database settings', () => {
  it('treats empty variables as unset and fills role defaults', () => {
    const env = readDbEnv({ DATABASE_URL: '', DB_APP_ROLE: '' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(rolesFromEnv(env).app.name).toBe('studio_app');
  });

  it('refuses a malformed URL or role name with a message naming the variable', () => {
    expect(() => readDbEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(() => readDbEnv({ DB_APP_ROLE: 'App; drop' })).toThrow(/DB_APP_ROLE: must be a lowercase Postgres identifier/);
  });

  it('derives one URL per role and hides passwords in logs', () => {
    const env = readDbEnv({ DATABASE_URL: 'postgres://root:secret@db:5432/studio', DB_APP_PASSWORD: 'p@ss/word' });
    const urls = databaseUrls(env.DATABASE_URL!, env);
    expect(new URL(urls.app).username).toBe('studio_app');
    expect(decodeURIComponent(new URL(urls.app).password)).toBe('p@ss/word');
    expect(new URL(urls.admin).username).toBe('studio_admin');
    expect(redactUrl(urls.migrate)).toBe('postgres://root:***@db:5432/studio');
  });
});
