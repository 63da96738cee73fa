import type { TenantDb } from '@studio/tenancy';
import { auditTrail, eventCursorParam, type AuditPage } from '@studio/tenancy/audit';

const PAGE_SIZE = 25;

/**
 * The audit page's rows from its URL's `?cursor=`: 25 events a page, newest first. A cursor that
 * is not one the trail gave (edited by hand, cut short, repeated) shows the first page, as on every
 * list of the apps (`cursor` is then null: no "newest" link).
 */
export async function readAuditPage(tdb: TenantDb, cursorParam: string | string[] | undefined): Promise<{ cursor: string | null; page: AuditPage }> {
  const cursor = eventCursorParam(cursorParam);
  return { cursor, page: await auditTrail(tdb, { limit: PAGE_SIZE, cursor }) };
}
