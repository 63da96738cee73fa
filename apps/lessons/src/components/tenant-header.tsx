import { can, type TenantContext } from '@studio/tenancy/request';
import Link from 'next/link';
import { tenantPath } from '~/paths';

/** The top of every member page: whose workspace, who is signed in, where to go. */
export function TenantHeader({ ctx }: { ctx: TenantContext }) {
  const slug = ctx.tenant.slug;
  return (
    <header style={{ borderBottom: '1px solid #e5e7eb', marginBottom: '1.5rem', paddingBottom: '0.5rem' }}>
      <p style={{ margin: 0, color: '#6b7280' }}>
        <Link href={tenantPath(slug)}>
          <strong data-testid="tenant-name">{ctx.tenant.name}</strong>
        </Link>{' '}
        · Lessons
      </p>
      <nav style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap', alignItems: 'baseline' }}>
        <Link href={tenantPath(slug)}>Lesson plans</Link>
        <Link href={tenantPath(slug, '/lessons/new')}>New lesson plan</Link>
        {can(ctx, 'audit:read') && <Link href={tenantPath(slug, '/audit')}>Audit trail</Link>}
        <span style={{ marginLeft: 'auto', color: '#6b7280' }}>
          <span data-testid="user-email">{ctx.session?.email}</span> ({ctx.membership?.role}) ·{' '}
          <Link href={tenantPath(slug, '/sign-out')}>Sign out</Link>
        </span>
      </nav>
    </header>
  );
}
