import { getAuth } from '~/auth';

/** Better Auth's endpoints: sign-up, sign-in, sign-out, invitations. */
function handler(request: Request): Promise<Response> {
  return getAuth().auth.handler(request);
}

export { handler as GET, handler as POST };
