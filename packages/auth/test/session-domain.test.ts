import { describe, expect, it } from 'vitest';
import { sessionDomainFor } from '../src/auth';

// Where one session may span a product's tenant hosts (the workspace switcher keeps its user
// signed in): only a domain a browser will set a cookie for.
describe('sessionDomainFor', () => {
  it('spans a real base domain, port and case aside', () => {
    expect(sessionDomainFor('invoices.example.com')).toBe('invoices.example.com');
    expect(sessionDomainFor('Studio.Test:3001')).toBe('studio.test');
  });

  it('keeps a session per host where browsers refuse a domain cookie: localhost, IP addresses', () => {
    expect(sessionDomainFor('localhost')).toBeUndefined();
    expect(sessionDomainFor('localhost:3001')).toBeUndefined();
    expect(sessionDomainFor('127.0.0.1')).toBeUndefined();
    expect(sessionDomainFor('::1')).toBeUndefined();
  });
});
