import { createApiToken, listApiTokens } from '@studio/auth';
import { TenancyError } from '@studio/tenancy';
import { permissions } from '~/permissions';
import { getTenancy } from '~/product';

export const dynamic = 'force-dynamic';

const inputError = (message: string) => Response.json({ error: { code: 'API_TOKEN_INPUT', message } }, { status: 400 });

/** GET: the tenant's tokens with their scopes and maker (never their secrets). Signed-in owners and admins only; a token cannot list tokens. */
export function GET(request: Request): Promise<Response> {
  return getTenancy().route('tokens:manage', async (ctx) => {
    return Response.json({ tokens: await listApiTokens(ctx.db), scopes: permissions.tokenScopes });
  })(request);
}

/**
 * POST {"name", "scopes": ["invoices:read", ...]}: a new token, shown once in the response. Its
 * scopes are chosen now, among the API's (permissions.tokenScopes) that the maker holds; it works
 * only while its maker may still make tokens.
 */
export function POST(request: Request): Promise<Response> {
  return getTenancy().route('tokens:manage', async (ctx) => {
    const body = (await request.json().catch(() => null)) as { name?: unknown; scopes?: unknown } | null;
    if (typeof body?.name !== 'string' || !Array.isArray(body.scopes) || !body.scopes.every((s) => typeof s === 'string')) {
      return inputError(`Send {"name": "...", "scopes": [...]}, scopes among ${permissions.tokenScopes.join(', ')}.`);
    }
    const scopes = body.scopes as string[];
    const grantable = permissions.grantable(scopes, ctx.membership!.role);
    const refused = scopes.filter((s) => !grantable.includes(s as never));
    if (refused.length > 0) return inputError(`Not a scope you can give a token: ${refused.join(', ')}. Choose among ${permissions.grantable(permissions.tokenScopes, ctx.membership!.role).join(', ')}.`);
    try {
      const created = await createApiToken(ctx.db, { name: body.name, createdBy: ctx.membership!.userId, scopes });
      return Response.json(created, { status: 201 });
    } catch (error) {
      if (TenancyError.is(error)) return inputError(error.message);
      throw error;
    }
  })(request);
}
