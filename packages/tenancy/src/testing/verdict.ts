/**
 * How the leak kit judges one attack: each attack declares the one outcome it expects (the
 * guard's refusal with its reason, a SQLSTATE, or "ran and got nothing of B's"), and anything
 * else is a failed check, with what happened instead. An attack that fails for an unrelated
 * reason (a NOT NULL column the kit forgot, a typo, a missing column) would otherwise pass while
 * proving nothing: the refusal it was meant to show was never reached.
 */
import { TenancyError, type TenantScopeReason } from '../errors';

export type Expected =
  /** The query guard refuses before anything is sent: TenantScopeError, code TENANT_SCOPE, this reason. */
  | { refusal: 'guard'; reason: TenantScopeReason }
  /**
   * Postgres refuses with this SQLSTATE (42501 insufficient_privilege, 23503 a composite FK, ...),
   * and, given `message`, with a message that contains it: 42501 is both "permission denied" and
   * "new row violates row-level security policy", and only one of them is the layer under test.
   */
  | { refusal: 'sqlstate'; code: string; message?: string }
  /** It runs, and returns nothing of another tenant's and changes nothing of B's. */
  | { refusal: 'none'; what?: string };

export const refusedByGuard = (reason: TenantScopeReason): Expected => ({ refusal: 'guard', reason });
export const refusedWith = (code: string, message?: string): Expected => ({ refusal: 'sqlstate', code, message });
export const getsNothing = (what?: string): Expected => ({ refusal: 'none', what });

/** What an attack that ran reports: `leak` says what of another tenant's it got or changed. */
export interface Ran {
  detail: string;
  leak?: string;
}

export type Outcome = { ok: true; ran: Ran } | { ok: false; error: unknown };

const SQLSTATE_NAMES: Record<string, string> = {
  '42501': 'insufficient_privilege',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '22P02': 'invalid_text_representation',
  '25006': 'read_only_sql_transaction',
  '42601': 'syntax_error',
  '42703': 'undefined_column',
  '42883': 'undefined_function',
  '42P01': 'undefined_table',
  '3F000': 'invalid_schema_name',
  '0A000': 'feature_not_supported',
  '57014': 'query_canceled',
  P0001: 'raise_exception',
};

export function describeExpected(expected: Expected): string {
  switch (expected.refusal) {
    case 'guard':
      return `TENANT_SCOPE (${expected.reason})`;
    case 'sqlstate':
      return `SQLSTATE ${expected.code}${SQLSTATE_NAMES[expected.code] ? ` ${SQLSTATE_NAMES[expected.code]}` : ''}${expected.message ? ` ("${expected.message}")` : ''}`;
    case 'none':
      return expected.what ?? "nothing of B's returned, B's row unchanged";
  }
}

/** The error's identity, looking through wrappers (drizzle's DrizzleQueryError keeps the driver's error as `cause`). */
export function identify(error: unknown): { kind: 'guard'; reason: string; message: string } | { kind: 'sqlstate'; code: string; message: string } | { kind: 'other'; code?: string; message: string } {
  let first: { code?: string; message: string } | undefined;
  for (let e = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : String(e);
    first ??= { code: typeof code === 'string' ? code : undefined, message };
    if (TenancyError.is(e) && e.code === 'TENANT_SCOPE') {
      return { kind: 'guard', reason: String((e as { reason?: unknown }).reason), message: message.split('\n')[0]! };
    }
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      const detail = (e as { detail?: unknown }).detail;
      return { kind: 'sqlstate', code, message: typeof detail === 'string' && detail ? `${message} (${detail})` : message };
    }
  }
  return { kind: 'other', ...(first ?? { message: String(error) }) };
}

function describeError(error: unknown): string {
  const id = identify(error);
  switch (id.kind) {
    case 'guard':
      return `refused by the guard (${id.reason}): ${clip(id.message)}`;
    case 'sqlstate':
      return `SQLSTATE ${id.code}${SQLSTATE_NAMES[id.code] ? ` ${SQLSTATE_NAMES[id.code]}` : ''}: ${clip(id.message)}`;
    default:
      return `${id.code ? `${id.code}: ` : ''}${clip(id.message)}`;
  }
}

function clip(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export interface JudgeOptions {
  /** false when B's seeded row is no longer what it was: a leak whatever the attack answered. */
  bIntact?: boolean;
  /** Values of B's that an error message must not contain (unique-violation probing). */
  secrets?: readonly string[];
}

/** The verdict on one attack: `pass` only for exactly the expected outcome, and nothing of B's leaked. */
export function judge(expected: Expected, outcome: Outcome, options: JudgeOptions = {}): { pass: boolean; outcome: string } {
  const got = outcome.ok ? `ran: ${outcome.ran.detail}${outcome.ran.leak ? `; LEAK: ${outcome.ran.leak}` : ''}` : describeError(outcome.error);
  if (options.bIntact === false) return { pass: false, outcome: `LEAK: B's row changed (${got})` };
  if (!outcome.ok && options.secrets?.length) {
    const id = identify(outcome.error);
    const named = options.secrets.find((secret) => secret && id.message.includes(secret));
    if (named) return { pass: false, outcome: `LEAK: the error names B's ${named} (${got})` };
  }
  const want = describeExpected(expected);
  if (outcome.ok) {
    if (outcome.ran.leak) return { pass: false, outcome: `LEAK: ${outcome.ran.leak} (expected ${want}; ${outcome.ran.detail})` };
    if (expected.refusal === 'none') return { pass: true, outcome: outcome.ran.detail };
    return { pass: false, outcome: `expected ${want}, but it ran (${outcome.ran.detail})` };
  }
  const id = identify(outcome.error);
  if (expected.refusal === 'guard' && id.kind === 'guard' && id.reason === expected.reason) return { pass: true, outcome: got };
  if (expected.refusal === 'sqlstate' && id.kind === 'sqlstate' && id.code === expected.code) {
    if (!expected.message || id.message.toLowerCase().includes(expected.message.toLowerCase())) return { pass: true, outcome: got };
  }
  return { pass: false, outcome: `expected ${want}, got ${got}` };
}

/** Runs `fn` and keeps what happened, for `judge`. */
export async function attempt(fn: () => Promise<Ran>): Promise<Outcome> {
  try {
    return { ok: true, ran: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}
