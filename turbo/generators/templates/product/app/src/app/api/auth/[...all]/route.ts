import { getAuth } from '~/auth';

function handler(request: Request): Promise<Response> {
  return getAuth().auth.handler(request);
}

export { handler as GET, handler as POST };
