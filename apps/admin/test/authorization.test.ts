/**
 * C14 for the console: every page, route handler and server action in src/app declares its need
 * (adminContext('platform-admin', ...), or publicAccess for sign-in and sign-out). A new one
 * without a declaration fails here. The same matrix against the running build, as every kind of
 * caller: tooling/e2e/test/authorization.test.ts.
 */
import path from 'node:path';
import { describeAuthorizationMatrix } from '@studio/tenancy/testing';

describeAuthorizationMatrix({ appDir: path.resolve(import.meta.dirname, '..') });
