import { exportStatus } from '~/jobs';
import { getTenancy } from '~/product';

export const dynamic = 'force-dynamic';

/** GET /api/v1/exports/<id>: where this tenant's export stands (another tenant's id is unknown here). */
export function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return getTenancy().api('exports:read', async (ctx) => {
    const status = await exportStatus(ctx, (await params).id);
    if (!status) return Response.json({ error: { code: 'NOT_FOUND', message: 'No such export in this workspace.' } }, { status: 404 });
    return Response.json({ export: status }, { headers: { 'cache-control': 'no-store' } });
  })(request);
}
