import { publicAccess } from '@studio/tenancy/request';
import { getAuth } from '~/auth';

/** Better Auth's endpoints: sign-in and sign-out (the shared @studio/auth). */
function handler(request: Request): Promise<Response> {
  publicAccess('sign-in and sign-out: Better Auth checks the session of each endpoint itself');
  return getAuth().auth.handler(request);
}

export { handler as GET, handler as POST };
