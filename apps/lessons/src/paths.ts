/** `/t/<slug>` followed by `path` ('/' is the tenant's home): every link inside a tenant. */
export function tenantPath(slug: string, path = '/'): string {
  return `/t/${slug}${path === '/' ? '' : path}`;
}
