/**
 * `@studio/tenancy/resolver`: how a request names its tenant (C6). Strategies (subdomain, path
 * prefix, header, session, bearer token), slug parsing with reserved names, the cached tenant
 * directory, and the API token format.
 */
export { TenantDirectory, TENANT_CHANGED_CHANNEL, type TenantDirectoryOptions } from './directory';
export { DEFAULT_RESERVED_SLUGS, parseSlug, slugFromHost, slugFromPath, type SlugProblem, type SlugResult, type SourceResult } from './parse';
export { bearerToken, header, pathPrefix, session, subdomain, type TenantStrategy } from './strategies';
export { resolveTenant, type Resolution, type ResolveDeps, type ResolveFailure, type ResolveInput, type TenantSource } from './resolve';
export { API_TOKEN_PREFIX, bearerFrom, formatApiToken, parseApiToken, type ApiTokenParts } from './api-token';
