import { createApiToken, listApiTokens, requireTenantRole } from '@studio/auth';
import { TenancyError } from '@studio/tenancy';
import { getTenancy } from '~/tenancy';

export const dynamic = 'force-dynamic';

/** GET: the tenant's tokens (never their secrets). Admins and owners only, signed in. */
export function GET(request: Request): Promise<Response> {
  return getTenancy().route(async (ctx) => {
    requireTenantRole(ctx, 'admin');
    return Response.json({ tokens: await listApiTokens(ctx.db) });
  })(request);
}

/** POST {"name"}: a new token, shown once in the response. */
export function POST(request: Request): Promise<Response> {
  return getTenancy().route(async (ctx) => {
    const membership = requireTenantRole(ctx, 'admin');
    const body = (await request.json().catch(() => null)) as { name?: unknown } | null;
    if (typeof body?.name !== 'string') {
      return Response.json({ error: { code: 'API_TOKEN_INPUT', message: 'Send {"name": "..."}.' } }, { status: 400 });
    }
    try {
      const created = await createApiToken(ctx.db, { name: body.name, createdBy: membership.userId });
      return Response.json(created, { status: 201 });
    } catch (error) {
      if (TenancyError.is(error)) return Response.json({ error: { code: error.code, message: error.message } }, { status: 400 });
      throw error;
    }
  })(request);
}
