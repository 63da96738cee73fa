import { authHandler } from '~/product';

/** Better Auth's endpoints: sign-up, sign-in, sign-out, invitations (src/app.ts). */
export { authHandler as GET, authHandler as POST };
