import { revokeApiToken } from '@studio/auth';
import { getTenancy } from '~/product';

export const dynamic = 'force-dynamic';

/** DELETE: revokes the token; it stops working on the next request. Signed-in owners and admins, never a token. */
export function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return getTenancy().route('tokens:manage', async (ctx) => {
    const { id } = await params;
    const revoked = await revokeApiToken(ctx.db, id);
    return revoked
      ? new Response(null, { status: 204 })
      : Response.json({ error: { code: 'API_TOKEN_NOT_FOUND', message: 'No active token with that id in this tenant.' } }, { status: 404 });
  })(request);
}
