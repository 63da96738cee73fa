/**
 * Issue 19: ids of 36 dashes (and a bad customer id) reached Postgres, which answered "invalid
 * input syntax for type uuid": a 500. Regexes like /^[0-9a-f-]{36}$/ were scattered through the
 * apps and packages; one validator now decides.
 */
import { describe, expect, it } from 'vitest';
import { createRequestContext, TenantRequestError, type IdentityProvider } from '../../src/request/index';
import { isUuid, parseUuid, type Database } from '../../src/index';

const DASHES = '-'.repeat(36);

describe('isUuid', () => {
  it.each([
    DASHES,
    'ffffffff-ffff-ffff-ffff-ffffffffffff-',
    '0b6c6f8e1b7a4c2e9d557c8f9e0a1b2c',
    '{0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2c}',
    ' 0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2c',
    '0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2c\n',
    '0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2g',
    '0b6c6f8e-1b7a4c2e-9d55-7c8f9e0a1b2c-',
    '',
    undefined,
    42,
  ])('refuses %j', (value) => {
    expect(isUuid(value)).toBe(false);
    expect(parseUuid(value)).toBeNull();
  });

  it('accepts a UUID in either case, and normalises it to lower case', () => {
    expect(isUuid('0B6C6F8E-1B7A-4C2E-9D55-7C8F9E0A1B2C')).toBe(true);
    expect(parseUuid('0B6C6F8E-1B7A-4C2E-9D55-7C8F9E0A1B2C')).toBe('0b6c6f8e-1b7a-4c2e-9d55-7c8f9e0a1b2c');
  });
});

describe('the request context', () => {
  it('answers a forwarded tenant id of 36 dashes with a 404, without asking the database', async () => {
    let asked = 0;
    const db = {
      tenants: {
        byId: async () => {
          asked++;
          throw Object.assign(new Error('invalid input syntax for type uuid: "------------------------------------"'), { code: '22P02' });
        },
      },
    } as unknown as Database;
    const identity = { session: async () => null, membership: async () => null, apiToken: async () => null } as unknown as IdentityProvider;
    const error = await createRequestContext({ db, identity })
      .tenant(new Headers({ 'x-tenant-id': DASHES }))
      .catch((e: unknown) => e);
    expect(TenantRequestError.is(error) && error.status).toBe(404);
    expect(asked).toBe(0);
  });
});
