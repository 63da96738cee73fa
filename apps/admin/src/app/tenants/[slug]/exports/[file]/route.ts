import { tenantStorage } from '@studio/tenancy/storage';
import { auditedRead, isExportFileName } from '@studio/platform';
import { adminRoute } from '~/admin-context';
import { getAdmin } from '~/db';
import { findTenant } from '~/lib/console';

/** Downloads an export file of a tenant: platform admins only, and audited like any cross-tenant read. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string; file: string }> }): Promise<Response> {
  const { slug, file } = await params;
  const session = await adminRoute('platform-admin', request, `/tenants/${slug}/exports`);
  if (session instanceof Response) return session;
  const admin = await getAdmin();
  const tenant = await findTenant(admin, slug);
  if (!tenant || !isExportFileName(file)) return new Response('No such export.', { status: 404 });
  const body = await auditedRead(admin, () => tenantStorage({ tenantId: tenant.id }).get(['exports', file]), {
    actorId: session.userId,
    action: 'admin.read.export_file',
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    payload: (bytes) => ({ file, bytes: bytes?.length ?? null }),
  });
  if (!body) return new Response('No such export: it may still be running, or it failed.', { status: 404 });
  return new Response(Buffer.from(body), {
    headers: {
      'content-type': file.endsWith('.json') ? 'application/json' : 'application/x-ndjson',
      'content-disposition': `attachment; filename="${file}"`,
      'cache-control': 'no-store',
    },
  });
}
