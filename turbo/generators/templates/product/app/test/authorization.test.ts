/**
 * C14 for this product: every page, route handler and server action in src/app declares what it
 * needs (pageContext('<permission>'), getTenancy().route(...), publicAccess(...)), and the need is
 * in src/permissions.ts. A new page without a declaration fails here.
 */
import path from 'node:path';
import { describeAuthorizationMatrix } from '@studio/tenancy/testing';
import { permissions } from '../src/permissions';

describeAuthorizationMatrix({ appDir: path.resolve(import.meta.dirname, '..'), permissions });
