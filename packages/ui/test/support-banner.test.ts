/**
 * The support-access banner (issue 23 item 4): who, why, until when, read-only or with writes, as
 * a region with a heading and a status; nothing without a grant. Server-rendered, as a layout does.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SupportBanner, supportAccessSentence, type SupportBannerGrant } from '../src/support-banner';

const grant: SupportBannerGrant = {
  grantId: 'g1',
  adminName: 'Ann Admin',
  adminEmail: 'admin@studio.test',
  reason: 'Ticket 4413: totals look wrong',
  expiresAt: new Date('2026-12-02T05:30:00Z'),
  allowWrites: false,
};

describe('SupportBanner', () => {
  it('renders nothing without a grant', () => {
    expect(renderToStaticMarkup(createElement(SupportBanner, { grants: [] }))).toBe('');
  });

  it('says who, why, until when and read-only, in a region with a heading and a status', () => {
    const html = renderToStaticMarkup(createElement(SupportBanner, { grants: [grant], locale: 'en-US' }));
    expect(html).toContain('aria-labelledby="support-access-heading"');
    expect(html).toContain('role="status"');
    expect(html).toMatch(/<h2 id="support-access-heading"[^>]*>Support access is open<\/h2>/);
    const text = html.replace(/<[^>]+>/g, '');
    expect(text).toContain('Support access: Ann Admin (admin@studio.test) can read your data until Dec 2, 2026, 5:30:00 AM UTC: Ticket 4413: totals look wrong');
    expect(text).toContain('read-only');
    expect(text).not.toContain('change');
  });

  it('says "can read and change" for a grant with writes, and escapes what the admin typed', () => {
    const html = renderToStaticMarkup(createElement(SupportBanner, { grants: [{ ...grant, allowWrites: true, reason: '<script>alert(1)</script> ticket 9' }] }));
    expect(html).toContain('can read and change your data');
    expect(html).toContain('with writes');
    expect(html).not.toContain('<script>');
  });

  it('names whoever is known', () => {
    expect(supportAccessSentence({ ...grant, adminName: null }, 'en-US')).toMatch(/^admin@studio\.test can read/);
    expect(supportAccessSentence({ ...grant, adminName: null, adminEmail: null, reason: '' }, 'de-DE')).toMatch(/^A platform admin can read your data until 2\. Dez\. 2026, 0?5:30:00 UTC$/);
  });
});
