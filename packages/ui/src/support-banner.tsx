/**
 * The banner a product shows its members while platform support has access to their workspace
 * (break-glass, issue 23): "Support access: Ann Admin (admin@studio.test) can read and change your
 * data until Dec 2, 2026, 5:30 AM UTC: Ticket 4413, totals look wrong".
 *
 * Server-safe (no hooks, no 'use client'): a layout or page renders it with the grants
 * `openSupportGrants(ctx.db)` (@studio/tenancy/audit) answers; nothing when there are none. It
 * takes plain values, so it does not depend on the tenancy package. A region with a heading
 * (screen readers list it among the landmarks) and role="status" on its text; the design
 * system's warning tokens (warn-soft, warn-soft-fg, warn-line of @studio/ui/styles.css), which
 * have a light and a dark value at AA contrast, so it reads in both themes.
 */
import { formatDateTime } from './format';

export interface SupportBannerGrant {
  grantId: string;
  adminName: string | null;
  adminEmail: string | null;
  reason: string;
  expiresAt: Date | string;
  allowWrites: boolean;
}

/** "Ann Admin (admin@studio.test)", or whichever of the two is known, or "A platform admin". */
function person(grant: SupportBannerGrant): string {
  if (grant.adminName && grant.adminEmail) return `${grant.adminName} (${grant.adminEmail})`;
  return grant.adminName ?? grant.adminEmail ?? 'A platform admin';
}

/** The sentence of one grant, as plain text (tests and the page read the same words). */
export function supportAccessSentence(grant: SupportBannerGrant, locale = 'en-US', timeZone = 'UTC'): string {
  const can = grant.allowWrites ? 'can read and change' : 'can read';
  const reason = grant.reason.trim();
  return `${person(grant)} ${can} your data until ${formatDateTime(grant.expiresAt, locale, timeZone)}${reason ? `: ${reason}` : ''}`;
}

export function SupportBanner({
  grants,
  locale = 'en-US',
  timeZone = 'UTC',
  auditHref,
}: {
  grants: readonly SupportBannerGrant[];
  /** How the expiry is written (the request's locale). */
  locale?: string;
  timeZone?: string;
  /** The workspace's audit trail, linked for those who may read it. */
  auditHref?: string;
}) {
  if (grants.length === 0) return null;
  return (
    <section
      aria-labelledby="support-access-heading"
      data-testid="support-banner"
      className="my-4 max-w-full rounded-xl border border-warn-line bg-warn-soft px-4 py-3 text-warn-soft-fg [overflow-wrap:anywhere]"
      style={{ overflowWrap: 'anywhere' }}
    >
      <h2 id="support-access-heading" className="m-0 text-base font-semibold">
        Support access is open
      </h2>
      <div role="status">
      <ul className="m-0 mt-1 list-none p-0 text-sm leading-6">
        {grants.map((grant) => (
          <li key={grant.grantId} data-testid="support-grant" data-writes={grant.allowWrites ? 'yes' : 'no'}>
            <strong className="font-semibold">Support access:</strong> {supportAccessSentence(grant, locale, timeZone)}{' '}
            <span className="inline-block rounded border border-current px-1.5 text-xs font-medium">{grant.allowWrites ? 'with writes' : 'read-only'}</span>
          </li>
        ))}
      </ul>
      </div>
      {auditHref && (
        <p className="m-0 mt-1 text-sm">
          <a href={auditHref} className="font-medium text-inherit underline underline-offset-2">
            Every look is recorded in your audit trail
          </a>
        </p>
      )}
    </section>
  );
}
