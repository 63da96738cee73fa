/**
 * The audit row a scoped client writes (C10): what an event is, who acts, and the checked INSERT
 * that carries it. Lives beside the scoped client so that `tdb.audited(event)` and `audit(tx,
 * event)` (src/audit.ts) build the same statement without importing each other.
 */
import { TenancyError } from '../errors';
import type { QueryGuard } from '../guard/query-guard';
import type { Trailer } from './executor';

export interface AuditEvent {
  /** What happened, `noun.verb`: 'invoice.create', 'member.invite', 'api_token.revoke'. */
  action: string;
  /** What it happened to, usually an id. */
  target?: string | null;
  /** Details worth keeping (never secrets). JSON, at most 64 KiB. */
  payload?: Record<string, unknown>;
}

/** Who acts: the signed-in user, or an API token (actor_id null, the token id in the payload). */
export interface AuditActor {
  userId: string | null;
  apiTokenId?: string | null;
}

export class AuditEventError extends TenancyError {
  constructor(message: string) {
    super('AUDIT_EVENT_INVALID', message);
  }
}

const INSERT =
  'insert into "audit_events" ("tenant_id", "actor_id", "action", "target", "payload") values ($1, $2, $3, $4, $5::jsonb)';
const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** The audit insert for this tenant and actor, checked by the guard like any other statement. */
export function auditTrailer(tenantId: string, actor: AuditActor, guard: QueryGuard, event: AuditEvent): Trailer {
  if (typeof event.action !== 'string' || event.action.length > 100 || !ACTION.test(event.action)) {
    throw new AuditEventError(`Audit action ${JSON.stringify(event.action)} must look like 'invoice.create' (lowercase noun.verb, at most 100 characters).`);
  }
  const payload = actor.apiTokenId ? { ...event.payload, apiTokenId: actor.apiTokenId } : (event.payload ?? {});
  const json = JSON.stringify(payload);
  if (json === undefined || json.length > 65_536) throw new AuditEventError('Audit payload must be JSON of at most 64 KiB.');
  const params = [tenantId, actor.userId, event.action, event.target ?? null, json];
  guard.check(INSERT, params, tenantId);
  return { sql: INSERT, params, audit: true };
}
