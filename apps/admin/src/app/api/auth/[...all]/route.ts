import { getAuth } from '~/auth';

/** Better Auth's endpoints: sign-in and sign-out (the shared @studio/auth). */
function handler(request: Request): Promise<Response> {
  return getAuth().auth.handler(request);
}

export { handler as GET, handler as POST };
