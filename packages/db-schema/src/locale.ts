/**
 * A tenant's language tag, as the tenants table keeps it (migration 0025's CHECK) and as the
 * console accepts it: one definition for both, so the console never offers what the table refuses.
 */

/** The shape of a BCP 47 tag the table accepts: a language, then up to four subtags ('de-DE', 'zh-Hant-TW'). */
export const LOCALE_TAG_SOURCE = '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$';
const LOCALE_TAG = new RegExp(LOCALE_TAG_SOURCE);

/** The longest tag kept. */
export const LOCALE_TAG_MAX = 35;

/**
 * A tag as the tenants table keeps it: canonical ('de-de' -> 'de-DE'), of the table's shape, and
 * one this server's Intl formats numbers in; null for anything else.
 */
export function canonicalLocale(input: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(input.trim());
    if (!canonical || canonical.length > LOCALE_TAG_MAX || !LOCALE_TAG.test(canonical)) return null;
    return Intl.NumberFormat.supportedLocalesOf(canonical).length > 0 ? canonical : null;
  } catch {
    return null;
  }
}
