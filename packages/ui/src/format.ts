/**
 * Money, dates and numbers through Intl, server-safe (no 'use client'): pages, server actions and
 * PDFs format with these, and forms parse what people type with parseMoney.
 *
 * Storage stays as it is: money in cents (integers), dates as ISO 'YYYY-MM-DD'. A cent is a
 * hundredth of the unit whatever the currency (the forms have always stored amount * 100).
 *
 * Nothing here throws on bad input: an unknown locale falls back to en-US, a malformed currency
 * code or date is shown as it is, and parseMoney answers an error message instead of throwing.
 */

export const DEFAULT_LOCALE = 'en-US';

/** The locale itself if Intl knows it, else en-US ('xx-!!', '' or a tag Intl rejects). */
export function safeLocale(locale: string | null | undefined): string {
  if (!locale) return DEFAULT_LOCALE;
  try {
    const [canonical] = Intl.getCanonicalLocales(locale);
    return canonical && Intl.NumberFormat.supportedLocalesOf(canonical).length > 0 ? canonical : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/**
 * The locale an `Accept-Language` header asks for first (by q), among those Intl supports;
 * `fallback` (en-US) when there is none. `*` and malformed tags are skipped.
 */
export function localeFromAcceptLanguage(header: string | null | undefined, fallback: string = DEFAULT_LOCALE): string {
  if (!header) return fallback;
  const tags = header
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((t) => t.tag && t.tag !== '*' && Number.isFinite(t.q) && t.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of tags) {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical && Intl.NumberFormat.supportedLocalesOf(canonical).length > 0) return canonical;
    } catch {
      // Not a language tag: the next one.
    }
  }
  return fallback;
}

/**
 * The locale a tenant's pages, forms and PDFs use: the tenant's own (`tenants.locale`, set in the
 * console) when it has one Intl knows; else the first language of the reader's Accept-Language
 * that Intl supports; else en-US. The same rule serves the page that shows an amount and the
 * action that reads it back from the form (the browser sends the same header both times).
 */
export function localeFor(tenant: { locale?: string | null } | null | undefined, requestHeaders: { get(name: string): string | null }): string {
  const own = tenant?.locale;
  if (own) {
    const safe = safeLocale(own);
    if (safe !== DEFAULT_LOCALE || own.toLowerCase() === DEFAULT_LOCALE.toLowerCase()) return safe;
  }
  return localeFromAcceptLanguage(requestHeaders.get('accept-language'));
}

function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * Cents as money in the locale's way: formatMoney(123456780, 'EUR', 'en-US') is '€1,234,567.80',
 * in de-DE '1.234.567,80 €'. A currency without minor units (JPY) shows none unless the amount
 * has cents, which are then shown rather than rounded away. A malformed currency code is written
 * after the number ('1,234.50 E?R').
 */
export function formatMoney(cents: number | bigint | string, currency: string, locale: string): string {
  const loc = safeLocale(locale);
  const n = typeof cents === 'number' ? cents : Number(cents);
  if (!Number.isFinite(n)) return `${String(cents)} ${currency}`;
  const code = currency.trim().toUpperCase();
  const digits = Number.isInteger(n / 100) ? Math.min(currencyDigits(code), 2) : 2;
  try {
    return new Intl.NumberFormat(loc, { style: 'currency', currency: code, minimumFractionDigits: digits, maximumFractionDigits: 2 }).format(n / 100);
  } catch {
    return `${new Intl.NumberFormat(loc, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n / 100)} ${currency}`;
  }
}

/** Cents as a plain amount to edit in a form, without currency: 123450 -> '1,234.50' (en-US), '1.234,50' (de-DE). parseMoney reads it back. */
export function formatAmount(cents: number, locale: string): string {
  return new Intl.NumberFormat(safeLocale(locale), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100);
}

/** A number in the locale's way: 12345 -> '12,345' (en-US), '12.345' (de-DE). */
export function formatNumber(n: number | bigint, locale: string): string {
  return new Intl.NumberFormat(safeLocale(locale)).format(n);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * An ISO date ('2026-12-31') in the locale's way: 'Dec 31, 2026' (en-US), '31.12.2026' (de-DE).
 * The calendar day as stored, whatever the server's time zone. Null is '-'; what is not a date
 * is shown as it is.
 */
export function formatDate(iso: string | null | undefined, locale: string, style: 'medium' | 'long' | 'short' = 'medium'): string {
  if (!iso) return '-';
  const m = ISO_DATE.exec(iso.trim());
  if (!m) return iso;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m[3])) return iso;
  return new Intl.DateTimeFormat(safeLocale(locale), { dateStyle: style, timeZone: 'UTC' }).format(date);
}

/** A moment (Date or ISO timestamp) with its time, in UTC unless told: 'Dec 31, 2026, 11:59:00 PM UTC'. */
export function formatDateTime(at: Date | string, locale: string, timeZone = 'UTC'): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return String(at);
  try {
    return new Intl.DateTimeFormat(safeLocale(locale), { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZone, timeZoneName: 'short' }).format(date);
  } catch {
    return date.toISOString();
  }
}

export type ParsedMoney = { ok: true; cents: number } | { ok: false; error: string };

interface NumberShape {
  decimal: string;
  group: string;
  /** Digits in the last group (3) and in the ones before it (3; 2 in en-IN). */
  primary: number;
  secondary: number;
  /** The locale's own digits (e.g. Arabic-Indic), to read as 0-9. */
  digits: string[];
}

const SPACES = /[\s\u00a0\u202f\u2009]/g;

function shapeOf(locale: string): NumberShape {
  const nf = new Intl.NumberFormat(locale, { useGrouping: true });
  const parts = nf.formatToParts(123456789.5);
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const integers = parts.filter((p) => p.type === 'integer').map((p) => p.value.length);
  const primary = integers.at(-1) ?? 3;
  const secondary = integers.length > 2 ? integers.at(-2)! : primary;
  const digits = Array.from({ length: 10 }, (_, d) => new Intl.NumberFormat(locale, { useGrouping: false }).format(d));
  return { decimal, group, primary, secondary, digits };
}

/** How a separator is named in a message. */
function named(separator: string): string {
  if (separator.replace(SPACES, '') === '') return 'a space';
  return `"${separator}"`;
}

const MAX_CENTS = 9_999_999_999;

/**
 * What someone typed as an amount, in the locale's way, as cents; or an error to show beside the
 * field. de-DE: '12,50' -> 1250, '1.234,50' -> 123450; en-US: '12.50' -> 1250, '1,234.50' ->
 * 123450. The decimal separator is the locale's, grouping (optional) must sit where the locale
 * puts it, so '12,5' in en-US or '12.50' in de-DE is refused as ambiguous rather than read as
 * 125 or 1250. At most two decimals, no sign, a currency symbol or code around it is allowed.
 * Never throws.
 */
export function parseMoney(input: string, locale: string): ParsedMoney {
  const loc = safeLocale(locale);
  const shape = shapeOf(loc);
  const example = formatAmount(123450, loc);
  const help = `Enter an amount such as ${formatNumber(120, loc)} or ${example}`;
  if (typeof input !== 'string') return { ok: false, error: `${help}.` };
  let text = input.trim();
  if (text === '') return { ok: false, error: 'Amount is required.' };
  if (text.length > 40) return { ok: false, error: `${help}.` };
  // A currency symbol or code before or after the number ('€ 12,50', '12.50 USD').
  text = text
    .replace(/^(\p{Sc}|[A-Za-z]{3}(?![A-Za-z]))\s*/u, '')
    .replace(/\s*(\p{Sc}|(?<![A-Za-z])[A-Za-z]{3})$/u, '')
    .trim();
  // The locale's own digits read as 0-9.
  text = text.replace(/\p{Nd}/gu, (d) => {
    const i = shape.digits.indexOf(d);
    return i >= 0 ? String(i) : d;
  });
  if (/^[-\u2212(]/.test(text)) return { ok: false, error: 'An amount cannot be negative.' };
  const spaceGroup = shape.group.replace(SPACES, '') === '';
  // Spaces of any kind are one and the same separator where the locale groups with a space.
  const group = spaceGroup ? ' ' : shape.group;
  if (spaceGroup) text = text.replace(SPACES, ' ');
  // de-CH groups with ’: an ASCII apostrophe is what people type for it.
  if (shape.group === '\u2019') text = text.replace(/'/g, '\u2019');
  const { decimal } = shape;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const allowed = new RegExp(`^[0-9${escape(group)}${escape(decimal)}]+$`);
  if (!allowed.test(text)) return { ok: false, error: `${help}: "${input.trim()}" is not a number.` };
  const pieces = text.split(decimal);
  if (pieces.length > 2) return { ok: false, error: `${help}: ${named(decimal)} separates the decimals and may appear once.` };
  const [whole = '', fraction] = pieces;
  if (fraction !== undefined) {
    if (fraction.includes(group)) return { ok: false, error: `${help}: ${named(group)} cannot come after the decimals.` };
    if (!/^\d{1,2}$/.test(fraction)) return { ok: false, error: fraction === '' ? `${help}: digits must follow ${named(decimal)}.` : `${help}: at most two decimals.` };
  }
  if (whole === '' && fraction === undefined) return { ok: false, error: `${help}.` };
  let digits = whole || '0';
  if (whole.includes(group)) {
    const groups = whole.split(group);
    const [first, ...rest] = groups;
    const last = rest.at(-1)!;
    const middle = rest.slice(0, -1);
    const valid =
      /^\d+$/.test(first ?? '') &&
      first!.length <= shape.secondary &&
      last.length === shape.primary &&
      /^\d+$/.test(last) &&
      middle.every((g) => g.length === shape.secondary && /^\d+$/.test(g));
    if (!valid) {
      const otherDecimal = group === '.' || group === ',' ? group : null;
      const hint =
        otherDecimal && rest.length === 1 && last.length <= 2 && fraction === undefined
          ? ` In this format ${named(group)} groups thousands and ${named(decimal)} separates the decimals: did you mean ${first}${decimal}${last.padEnd(2, '0')}?`
          : ` ${named(group)} groups thousands here (${example}).`;
      return { ok: false, error: `${help}.${hint}` };
    }
    digits = groups.join('');
  }
  if (!/^\d+$/.test(digits)) return { ok: false, error: `${help}.` };
  const cents = Number(digits) * 100 + Number((fraction ?? '').padEnd(2, '0') || '0');
  if (!Number.isSafeInteger(cents) || cents > MAX_CENTS) return { ok: false, error: `The amount is at most ${formatAmount(MAX_CENTS, loc)}.` };
  return { ok: true, cents };
}
