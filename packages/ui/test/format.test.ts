// @studio/ui/format: money, dates and numbers through Intl, and amounts typed in a locale's way
// read back as cents. Intl's spaces are U+00A0 / U+202F, so expectations normalise them.
import { formatAmount, formatDate, formatDateTime, formatMoney, formatNumber, localeFor, localeFromAcceptLanguage, parseMoney, safeLocale } from '@studio/ui/format';
import { describe, expect, it } from 'vitest';

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('groups thousands and places the symbol as the locale does', () => {
    expect(formatMoney(123456780, 'EUR', 'en-US')).toBe('€1,234,567.80');
    expect(plain(formatMoney(123456780, 'EUR', 'de-DE'))).toBe('1.234.567,80 €');
    expect(formatMoney(123456780, 'USD', 'en-US')).toBe('$1,234,567.80');
    expect(plain(formatMoney(999, 'USD', 'fr-FR'))).toBe('9,99 $US');
    expect(formatMoney(0, 'GBP', 'en-GB')).toBe('£0.00');
  });

  it('takes the sums the database gives as text or bigint', () => {
    expect(formatMoney('123456780', 'USD', 'en-US')).toBe('$1,234,567.80');
    expect(formatMoney(123456780n, 'USD', 'en-US')).toBe('$1,234,567.80');
  });

  it('shows a currency without minor units without them, unless the amount has cents', () => {
    expect(formatMoney(123400, 'JPY', 'en-US')).toBe('¥1,234');
    expect(formatMoney(123450, 'JPY', 'en-US')).toBe('¥1,234.50');
  });

  it('never throws: unknown locale is en-US, a malformed currency is written after the number', () => {
    expect(formatMoney(123450, 'USD', 'not a locale!')).toBe('$1,234.50');
    expect(formatMoney(123450, 'EU', 'en-US')).toBe('1,234.50 EU');
    expect(formatMoney(Number.NaN, 'USD', 'en-US')).toBe('NaN USD');
  });
});

describe('formatAmount and formatNumber', () => {
  it('write an amount for a form field and a count in the locale', () => {
    expect(formatAmount(123450, 'en-US')).toBe('1,234.50');
    expect(formatAmount(123450, 'de-DE')).toBe('1.234,50');
    expect(formatNumber(12345, 'en-US')).toBe('12,345');
    expect(formatNumber(12345, 'de-DE')).toBe('12.345');
  });

  it('round-trips through parseMoney in many locales', () => {
    for (const locale of ['en-US', 'de-DE', 'fr-FR', 'de-CH', 'en-IN', 'es-ES', 'it-IT', 'pt-BR', 'nl-NL', 'ja-JP', 'ar-EG', 'pl-PL', 'sv-SE']) {
      for (const cents of [0, 5, 1250, 99999, 123456780, 999999999]) {
        expect(parseMoney(formatAmount(cents, locale), locale), `${locale} ${cents}`).toEqual({ ok: true, cents });
      }
    }
  });
});

describe('formatDate and formatDateTime', () => {
  it('writes the stored calendar day in the locale, whatever the time zone', () => {
    expect(formatDate('2026-12-31', 'en-US')).toBe('Dec 31, 2026');
    expect(formatDate('2026-12-31', 'de-DE')).toBe('31.12.2026');
    expect(formatDate('2026-01-01', 'en-GB', 'long')).toBe('1 January 2026');
  });

  it('shows no date as -, and what is not a date as it is', () => {
    expect(formatDate(null, 'en-US')).toBe('-');
    expect(formatDate('', 'en-US')).toBe('-');
    expect(formatDate('2026-02-30', 'en-US')).toBe('2026-02-30');
    expect(formatDate('tomorrow', 'en-US')).toBe('tomorrow');
  });

  it('writes a moment with its time zone', () => {
    expect(plain(formatDateTime(new Date('2026-12-31T23:59:00Z'), 'en-US'))).toBe('Dec 31, 2026, 11:59:00 PM UTC');
    expect(formatDateTime('2026-12-31T23:59:00Z', 'de-DE')).toBe('31. Dez. 2026, 23:59:00 UTC');
    expect(formatDateTime('garbage', 'en-US')).toBe('garbage');
  });
});

describe('parseMoney', () => {
  const ok = (cents: number) => ({ ok: true, cents });

  it("reads the locale's decimal separator and grouping", () => {
    expect(parseMoney('12,50', 'de-DE')).toEqual(ok(1250));
    expect(parseMoney('1.234,50', 'de-DE')).toEqual(ok(123450));
    expect(parseMoney('1234,5', 'de-DE')).toEqual(ok(123450));
    expect(parseMoney('12.50', 'en-US')).toEqual(ok(1250));
    expect(parseMoney('1,234.50', 'en-US')).toEqual(ok(123450));
    expect(parseMoney('1,234,567.8', 'en-US')).toEqual(ok(123456780));
    expect(parseMoney('120', 'en-US')).toEqual(ok(12000));
    expect(parseMoney('  99.5 ', 'en-US')).toEqual(ok(9950));
    expect(parseMoney('.5', 'en-US')).toEqual(ok(50));
  });

  it('takes spaces as grouping where the locale groups with a space, and the apostrophe in de-CH', () => {
    expect(parseMoney('1 234,50', 'fr-FR')).toEqual(ok(123450));
    expect(parseMoney('1\u202f234,50', 'fr-FR')).toEqual(ok(123450));
    expect(parseMoney("1'234.50", 'de-CH')).toEqual(ok(123450));
    expect(parseMoney('12,34,567.80', 'en-IN')).toEqual(ok(123456780));
  });

  it('allows a currency symbol or code around the number', () => {
    expect(parseMoney('€ 12,50', 'de-DE')).toEqual(ok(1250));
    expect(parseMoney('12,50 €', 'de-DE')).toEqual(ok(1250));
    expect(parseMoney('$1,234.50', 'en-US')).toEqual(ok(123450));
    expect(parseMoney('1234.50 USD', 'en-US')).toEqual(ok(123450));
  });

  it('refuses the other convention as ambiguous, saying what was probably meant', () => {
    const enUs = parseMoney('12,5', 'en-US');
    expect(enUs.ok).toBe(false);
    expect(!enUs.ok && enUs.error).toContain('did you mean 12.50?');
    const deDe = parseMoney('12.50', 'de-DE');
    expect(deDe.ok).toBe(false);
    expect(!deDe.ok && deDe.error).toContain('did you mean 12,50?');
    expect(parseMoney('1,23,456.00', 'en-US').ok).toBe(false);
    expect(parseMoney('1,234.50', 'de-DE').ok).toBe(false);
    expect(parseMoney('1.234,50', 'en-US').ok).toBe(false);
  });

  it('refuses garbage, signs, three decimals and too much, in words', () => {
    for (const [input, words] of [
      ['', 'Amount is required.'],
      ['abc', 'is not a number'],
      ['12.5.0', 'may appear once'],
      ['12.505', 'at most two decimals'],
      ['12.', 'digits must follow'],
      ['-5', 'cannot be negative'],
      ['1e5', 'is not a number'],
      ['99999999999', 'at most'],
      ['1'.repeat(60), 'Enter an amount'],
    ] as const) {
      const answer = parseMoney(input, 'en-US');
      expect(answer.ok, input).toBe(false);
      expect(!answer.ok && answer.error, input).toContain(words);
    }
  });

  it('never throws, whatever the locale or input', () => {
    expect(parseMoney('12.50', 'garbage locale')).toEqual(ok(1250));
    expect(parseMoney(undefined as unknown as string, 'en-US').ok).toBe(false);
    expect(parseMoney('\u0661\u0662\u066b\u0665\u0660', 'ar-EG')).toEqual(ok(1250));
  });
});

describe('locale resolution', () => {
  it('takes the first supported language of Accept-Language, by q, else en-US', () => {
    expect(localeFromAcceptLanguage('de-DE,de;q=0.9,en;q=0.8')).toBe('de-DE');
    expect(localeFromAcceptLanguage('en;q=0.5, fr-FR')).toBe('fr-FR');
    expect(localeFromAcceptLanguage('*')).toBe('en-US');
    expect(localeFromAcceptLanguage('')).toBe('en-US');
    expect(localeFromAcceptLanguage(null)).toBe('en-US');
    expect(localeFromAcceptLanguage('!!!, de;q=0.1')).toBe('de');
    expect(safeLocale('de-de')).toBe('de-DE');
    expect(safeLocale('??')).toBe('en-US');
  });

  it("prefers the tenant's own locale to the reader's, and the reader's to a tag Intl cannot use", () => {
    const german = new Headers({ 'accept-language': 'de-DE' });
    expect(localeFor({ locale: 'fr-FR' }, german)).toBe('fr-FR');
    expect(localeFor({ locale: null }, german)).toBe('de-DE');
    expect(localeFor(undefined, german)).toBe('de-DE');
    expect(localeFor({ locale: 'en-US' }, german)).toBe('en-US');
    // A tag that slipped past the console's check is not used: the reader's own, not en-US.
    expect(localeFor({ locale: 'xx-!!' }, german)).toBe('de-DE');
    expect(localeFor({ locale: 'fr-FR' }, new Headers())).toBe('fr-FR');
    expect(formatMoney(123450, 'EUR', localeFor({ locale: 'de-DE' }, new Headers({ 'accept-language': 'en-US' })))).toMatch(/^1\.234,50\s€$/);
  });
});
