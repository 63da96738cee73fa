import { appConfig } from '@studio/eslint-config';

// The one app allowed the BYPASSRLS client (@studio/tenancy/admin, C11).
export default appConfig({ admin: true });
