/**
 * C14 for the invoices app: every page, route handler and server action in src/app declares what it
 * needs, and the need is in src/permissions.ts. A new one without a declaration fails here. The
 * same matrix against the running build, as every kind of caller: tooling/e2e/test/authorization.test.ts.
 */
import path from 'node:path';
import { describeAuthorizationMatrix } from '@studio/tenancy/testing';
import { permissions } from '../src/permissions';

describeAuthorizationMatrix({ appDir: path.resolve(import.meta.dirname, '..'), permissions });
