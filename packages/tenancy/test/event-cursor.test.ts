/**
 * The audit trails' one keyset cursor (a tenant's auditTrail and the platform's crossTenantTrail):
 * what it reads, what it refuses, and what a refusal becomes in a route handler (a 400).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEventCursor, encodeEventCursor, eventCursorParam, InvalidCursorError } from '../src/audit';
import { tenancyErrorResponse } from '../src/next';

describe('event cursors', () => {
  const key = { micros: '1764633600123456', id: randomUUID() };

  it('reads back what it wrote, in the spelling the lists have always written', () => {
    const cursor = encodeEventCursor(key);
    expect(cursor).toBe(Buffer.from(`${key.micros}|${key.id}`).toString('base64url'));
    expect(decodeEventCursor(cursor)).toEqual(key);
    expect(eventCursorParam(cursor)).toBe(cursor);
  });

  it('answers null for anything else: the first page of a page', () => {
    const cursor = encodeEventCursor(key);
    const forged = [
      'garbage',
      '',
      `${cursor}=`,
      `${cursor}A`,
      'x'.repeat(200),
      Buffer.from(`1|x' or true --`).toString('base64url'),
      Buffer.from(`-1|${key.id}`).toString('base64url'),
      Buffer.from(`${'9'.repeat(19)}|${key.id}`).toString('base64url'),
      Buffer.from(`1|${key.id}|extra`).toString('base64url'),
      Buffer.from(`1\0|${key.id}`).toString('base64url'),
      Buffer.from(JSON.stringify([key.micros, key.id])).toString('base64url'),
    ];
    for (const value of forged) {
      expect(decodeEventCursor(value), value).toBeNull();
      expect(eventCursorParam(value), value).toBeNull();
    }
    expect(eventCursorParam([cursor, cursor])).toBeNull();
    expect(eventCursorParam(undefined)).toBeNull();
  });

  it('is a 400 CURSOR_INVALID in a route handler, with what to do', async () => {
    const response = tenancyErrorResponse(new InvalidCursorError('audit trail'));
    expect(response?.status).toBe(400);
    const body = (await response!.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('CURSOR_INVALID');
    expect(body.error.message).toMatch(/first page/);
  });
});
