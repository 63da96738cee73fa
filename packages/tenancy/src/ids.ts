/**
 * The one check of an id that comes from a user (a URL segment, a form field, a JSON body, a
 * header): the canonical 8-4-4-4-12 hex form of a UUID, which is what every id column holds.
 * Anything else (36 dashes, braces, a UUID without hyphens, surrounding spaces) is refused here,
 * before it reaches Postgres, where it would be a 500 ("invalid input syntax for type uuid");
 * callers answer it as they answer an unknown id: a 404 on pages, a 400 or 404 on APIs, a field
 * error in forms.
 */
import { InvalidTenantIdError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a UUID in canonical form (either case). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The id in lower case, or null when `value` is not a UUID in canonical form. */
export function parseUuid(value: unknown): string | null {
  return isUuid(value) ? value.toLowerCase() : null;
}

/** A tenant id, validated and lower-cased; InvalidTenantIdError otherwise. Every tenant id the package takes goes through here. */
export function parseTenantId(value: unknown): string {
  const id = parseUuid(value);
  if (id === null) throw new InvalidTenantIdError(value);
  return id;
}
