import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The tenant context that row-level security trusts (C15), and that SQL run as the product role
 * cannot forge.
 *
 * A GUC is not a credential: any statement can call `set_config`, and `query_to_xml` and friends
 * run SQL text no guard ever parsed. So the policies do not read a tenant id. They compare
 * `tenant_id` with `studio_tenant()`, a STABLE SECURITY DEFINER function owned by the owner role
 * that returns the tenant of `app.tenant_context` only when that value carries a valid HMAC
 * under a key the product role cannot read (`studio_private.context_keys`), and NULL (no rows)
 * otherwise. The key also lives in the app's environment (TENANT_CONTEXT_KEY), so the app can
 * sign; an injection in the app gets SQL, not the environment.
 *
 *   app.tenant_context = v1.<key id>.<tenant uuid>.<expiry, unix seconds>.<hex HMAC-SHA256>
 *
 * The MAC covers `v1.<key id>.<tenant>.<expiry>`. The expiry bounds a replayed value (one read
 * from a log, say); the key id lets a new key be added before apps switch to it (rotation).
 * The value works the same whether it is sent with `set_config(..., true)` or `SET LOCAL`, and
 * through PgBouncer: it is an ordinary transaction-local setting.
 */
export const TENANT_CONTEXT_SETTING = 'app.tenant_context';

/** Minimum key length; a key is random text (e.g. `openssl rand -base64 48`). */
export const TENANT_CONTEXT_KEY_MIN = 32;

/** Used only outside production when TENANT_CONTEXT_KEY is unset (dev, tests). */
export const DEV_TENANT_CONTEXT_KEY = 'studio-dev-tenant-context-key-not-for-production';

/** How long a signed value is valid (seconds). Signatures are cached and renewed well before. */
export const TENANT_CONTEXT_TTL_SECONDS = 15 * 60;

/** The key's id: the first 12 hex digits of its SHA-256, so apps and the database agree without configuration. */
export function contextKeyId(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 12);
}

const BLOCK = 64;

/**
 * The two padded keys of HMAC-SHA256 (RFC 2104), stored in the database so the verifier computes
 * `sha256(opad || sha256(ipad || message))` with the built-in sha256() and no extension.
 */
export function contextKeyPads(key: string): { ipad: Buffer; opad: Buffer } {
  let k = Buffer.from(key, 'utf8');
  if (k.length > BLOCK) k = createHash('sha256').update(k).digest();
  const padded = Buffer.alloc(BLOCK);
  k.copy(padded);
  const ipad = Buffer.alloc(BLOCK);
  const opad = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    ipad[i] = padded[i]! ^ 0x36;
    opad[i] = padded[i]! ^ 0x5c;
  }
  return { ipad, opad };
}

export function signTenantContext(key: string, tenantId: string, expiresAt: number, kid = contextKeyId(key)): string {
  const message = `v1.${kid}.${tenantId}.${expiresAt}`;
  return `${message}.${createHmac('sha256', key).update(message, 'utf8').digest('hex')}`;
}

/** Checks a value as the database does (tests, tools); returns the tenant id or null. */
export function verifyTenantContext(key: string, value: string, nowSeconds = Math.floor(Date.now() / 1000)): string | null {
  const parts = value.split('.');
  if (parts.length !== 5 || parts[0] !== 'v1') return null;
  const [, kid, tenant, expiry, mac] = parts as [string, string, string, string, string];
  if (kid !== contextKeyId(key) || !/^\d{1,12}$/.test(expiry) || Number(expiry) < nowSeconds) return null;
  const expected = createHmac('sha256', key).update(`v1.${kid}.${tenant}.${expiry}`, 'utf8').digest();
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? tenant : null;
}

/**
 * Signs tenant contexts with one key, caching each tenant's value until half its lifetime is
 * left: the hot path pays a Map lookup, not an HMAC.
 */
export class TenantContextSigner {
  readonly keyId: string;
  readonly #key: string;
  readonly #ttl: number;
  readonly #cache = new Map<string, { value: string; renewAt: number }>();

  constructor(key: string, ttlSeconds = TENANT_CONTEXT_TTL_SECONDS) {
    this.#key = key;
    this.#ttl = ttlSeconds;
    this.keyId = contextKeyId(key);
  }

  /** The signed context of a tenant id (lower-case UUID, validated by the caller). */
  sign(tenantId: string): string {
    const now = Date.now();
    const hit = this.#cache.get(tenantId);
    if (hit && hit.renewAt > now) return hit.value;
    // Whole minutes: every process of an app that signs a tenant within the same minute mints the
    // same value, so the database keeps one registered value for them all (RegisteredContexts).
    const expiresAt = Math.ceil((now / 1000 + this.#ttl) / 60) * 60;
    const value = signTenantContext(this.#key, tenantId, expiresAt, this.keyId);
    if (this.#cache.size >= 10_000) this.#cache.clear();
    this.#cache.set(tenantId, { value, renewAt: now + (this.#ttl * 1000) / 2 });
    return value;
  }
}

/** `select set_config('app.tenant_context', $1, true)` with a value from `sign`. */
export const SET_TENANT_CONTEXT_SQL = `select set_config('${TENANT_CONTEXT_SETTING}', $1::text, true)`;

/**
 * A signed value and nothing else: `v1.<12 hex>.<uuid>.<digits>.<64 hex>`. Only such a value may be
 * spliced into the text of `SET LOCAL` (which takes no parameters): no quote, backslash, space or
 * semicolon can pass.
 */
export const TENANT_CONTEXT_VALUE = /^v1\.[0-9a-f]{12}\.[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\.[0-9]{1,12}\.[0-9a-f]{64}$/;

/**
 * `SET LOCAL app.tenant_context = '<value>'`: the form of the setting that Citus sends on to the
 * workers (with `citus.propagate_set_commands = 'local'` on the connection; `set_config` never
 * reaches them). Throws on anything but a well-formed signed value.
 */
export function setLocalTenantContextSql(value: string): string {
  if (!TENANT_CONTEXT_VALUE.test(value)) throw new TypeError('Not a signed tenant context value; refusing to put it in SQL text.');
  return `SET LOCAL ${TENANT_CONTEXT_SETTING} = '${value}'`;
}

/** The startup parameter every pool of a Citus database needs for SET LOCAL to reach the workers; a placeholder elsewhere. */
export const CITUS_PROPAGATE_SET_COMMANDS = { 'citus.propagate_set_commands': 'local' } as const;

/** Registers a signed value with the database (migration 0020); resolves to its tenant, or null when the database does not accept it. */
export const REGISTER_TENANT_CONTEXT_SQL = 'select studio_register_tenant_context($1::text) as tenant';

/**
 * The signed contexts of one database, each registered there before its first use.
 *
 * The policies look a value up among the registered ones (one index probe a statement) and only
 * verify its HMAC when nobody registered it (about 25 us). So the app registers each value it
 * mints, once per database: `context()` costs a Map lookup when the value is known, and one
 * round trip (shared by concurrent callers) when the signer has just minted a new one, about
 * every 7.5 minutes a tenant. A failed registration is not kept: the next call tries again.
 */
export class RegisteredContexts {
  readonly #signer: TenantContextSigner;
  readonly #register: (value: string) => Promise<unknown>;
  readonly #registered = new Map<string, string>();
  readonly #pending = new Map<string, Promise<string>>();

  constructor(signer: TenantContextSigner, register: (value: string) => Promise<unknown>) {
    this.#signer = signer;
    this.#register = register;
  }

  /** The registered signed context of a tenant id (lower-case UUID, validated by the caller). */
  context(tenantId: string): string | Promise<string> {
    const value = this.#signer.sign(tenantId);
    if (this.#registered.get(tenantId) === value) return value;
    let pending = this.#pending.get(value);
    if (!pending) {
      pending = this.#register(value).then(
        () => {
          this.#pending.delete(value);
          if (this.#registered.size >= 10_000) this.#registered.clear();
          this.#registered.set(tenantId, value);
          return value;
        },
        (error: unknown) => {
          this.#pending.delete(value);
          throw error;
        },
      );
      this.#pending.set(value, pending);
    }
    return pending;
  }
}
