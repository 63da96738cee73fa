import type { TenantDb } from '@studio/tenancy';
import { auditTrail, eventCursorParam, type AuditPage } from '@studio/tenancy/audit';
import { searchParam } from '@studio/ui/lists';

/**
 * The audit page's rows from its URL (`?action=&after=`): 50 events a page, newest first. A cursor
 * that is not one the trail gave (edited by hand, cut short, repeated) shows the first page, as
 * on every list of the apps.
 */
export async function readAuditPage(tdb: TenantDb, search: Record<string, string | string[] | undefined>): Promise<{ action: string; after: string; page: AuditPage }> {
  const action = searchParam(search.action, 100);
  const after = eventCursorParam(search.after) ?? '';
  const page = await auditTrail(tdb, { action: action || undefined, cursor: after || null, limit: 50 });
  return { action, after, page };
}
