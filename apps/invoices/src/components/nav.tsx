import Link from 'next/link';
import type { TenantContext } from '@studio/tenancy';

const links = [
  ['/', 'Dashboard'],
  ['/customers', 'Customers'],
  ['/invoices', 'Invoices'],
  ['/members', 'Members'],
  ['/audit', 'Audit trail'],
  ['/export', 'Export'],
] as const;

/** The tenant's header: its name in its own colour, and the sections. */
export function TenantNav({ ctx }: { ctx: TenantContext }) {
  return (
    <header style={{ borderBottom: `4px solid ${ctx.tenant.branding?.primaryColor ?? '#2563eb'}`, marginBottom: '1rem', paddingBottom: '0.5rem' }}>
      <strong data-testid="nav-tenant">{ctx.tenant.name}</strong>
      <nav style={{ display: 'flex', flexWrap: 'wrap', gap: '0.9rem', marginTop: '0.3rem' }}>
        {links.map(([href, label]) => (
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
