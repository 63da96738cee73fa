import { tenantStorage } from '@studio/tenancy/storage';
import { exportFilePath, exportStatus } from '~/jobs';
import { getTenancy } from '~/product';

export const dynamic = 'force-dynamic';

/** GET /api/v1/exports/<id>/download: the finished export, read from this tenant's own storage prefix. */
export function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return getTenancy().api('exports:read', async (ctx) => {
    const id = (await params).id;
    const status = await exportStatus(ctx, id);
    const body = status?.state === 'done' ? await tenantStorage(ctx).get(exportFilePath(id)) : null;
    if (!body) return Response.json({ error: { code: 'NOT_FOUND', message: 'No finished export with this id in this workspace.' } }, { status: 404 });
    return new Response(Buffer.from(body), {
      headers: {
        'content-type': 'application/x-ndjson',
        'content-disposition': `attachment; filename="${ctx.tenant.slug}-export-${status!.requestedAt.slice(0, 10)}.ndjson"`,
        'cache-control': 'private, no-store',
      },
    });
  })(request);
}
