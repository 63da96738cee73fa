import Link from 'next/link';
import { can, type TenantContext } from '@studio/tenancy/request';
import type { InvoicesPermission } from '~/permissions';

/** Each section with the permission its page declares: a member sees only what they may open. */
const links: readonly (readonly [string, string, InvoicesPermission | null])[] = [
  ['/', 'Dashboard', null],
  ['/customers', 'Customers', 'customers:read'],
  ['/invoices', 'Invoices', 'invoices:read'],
  ['/members', 'Members', 'members:read'],
  ['/audit', 'Audit trail', 'audit:read'],
  ['/export', 'Export', 'exports:read'],
];

/** The tenant's header: its name in its own colour, and the sections. */
export function TenantNav({ ctx }: { ctx: TenantContext }) {
  return (
    <header style={{ borderBottom: `4px solid ${ctx.tenant.branding?.primaryColor ?? '#2563eb'}`, marginBottom: '1rem', paddingBottom: '0.5rem' }}>
      <strong data-testid="nav-tenant">{ctx.tenant.name}</strong>
      <nav style={{ display: 'flex', flexWrap: 'wrap', gap: '0.9rem', marginTop: '0.3rem' }}>
        {links.filter(([, , need]) => need === null || can(ctx, need)).map(([href, label]) => (
          <Link key={href} href={href}>
            {label}
          </Link>
        ))}
        <Link href="/sign-out">Sign out</Link>
      </nav>
    </header>
  );
}

/** "Next page" / "First page" links for a keyset-paginated list. */
export function Pager({ path, params, next }: { path: string; params: Record<string, string>; next: string | null }) {
  const href = (extra: Record<string, string>) => {
    const query = new URLSearchParams(Object.entries({ ...params, ...extra }).filter(([, v]) => v !== ''));
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  };
  return (
    <p data-testid="pager">
      {params.after !== undefined && params.after !== '' && <Link href={href({ after: '' })}>« First page</Link>}{' '}
      {next && (
        <Link href={href({ after: next })} data-testid="next-page">
          Next page »
        </Link>
      )}
    </p>
  );
}
