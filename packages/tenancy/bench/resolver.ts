/**
 * `pnpm bench` (part 1): the per-request costs before any query: resolving the tenant, and a
 * tenant cache hit. Prints a table and writes bench/results/resolver.json (not committed).
 * Targets: resolver_hit_us <= 50 (no database trip), cache_hit_us <= 5 (in-process store).
 */
import { performance } from 'node:perf_hooks';
import Table from 'cli-table3';
import { seedDemo } from '@studio/db-schema/seed';
import { bearerToken, formatApiToken, resolveTenant, subdomain } from '../src/resolver/index';
import { createDatabase } from '../src/index';
import { memoryCacheStore, tenantCache } from '../src/cache';
import { slugFromHost } from '../src/resolver/parse';
import { benchDatabase, progress, writeResults } from '@studio/db-schema/testing/bench';

const ITERATIONS = Number(process.env.BENCH_RESOLVER_ITERATIONS ?? 200_000);

const bench = await benchDatabase();
const db = createDatabase({ url: bench.urls.app });
try {
  await seedDemo(bench.urls.owner);
  const strategies = [subdomain({ baseDomain: 'localhost' }), bearerToken()];
  const [acme] = (await db.platform.listTenants()).filter((t) => t.slug === 'acme');
  const token = formatApiToken(acme!.id, 'a'.repeat(43));
  const page = { host: 'acme.localhost:3001', pathname: '/invoices', headers: new Headers({ accept: 'text/html', cookie: 'x=1' }) };
  const api = { host: 'acme.localhost:3001', pathname: '/api/invoices', headers: new Headers({ authorization: `Bearer ${token}` }) };
  const deps = { tenants: db.tenants };

  const first = await resolveTenant(page, strategies, deps);
  const second = await resolveTenant(api, strategies, deps);
  if (!first.ok || first.tenant?.slug !== 'acme' || !second.ok || second.tenant?.slug !== 'acme') throw new Error('resolver did not resolve acme');

  const meanUs = async (fn: () => unknown, n: number) => {
    for (let i = 0; i < Math.min(n, 10_000); i++) await fn();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return ((performance.now() - t0) * 1000) / n;
  };
  progress(`resolver: ${ITERATIONS} resolutions per case on a warm cache`);
  const hitUs = await meanUs(() => resolveTenant(page, strategies, deps), ITERATIONS);
  const hitTokenUs = await meanUs(() => resolveTenant(api, strategies, deps), ITERATIONS);
  const parseUs = await meanUs(() => slugFromHost('acme.localhost:3001', { baseDomain: 'localhost' }), ITERATIONS);
  const store = memoryCacheStore();
  await tenantCache({ tenantId: acme!.id }, store).set(['invoice', 'summary'], { count: 40, totalCents: 1_234_500, currency: 'USD' });
  const cacheHitUs = await meanUs(() => tenantCache({ tenantId: acme!.id }, store).get(['invoice', 'summary']), ITERATIONS);
  const missSamples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    db.tenants.clear();
    const t0 = performance.now();
    await resolveTenant(page, strategies, deps);
    missSamples.push((performance.now() - t0) * 1000);
  }
  missSamples.sort((a, b) => a - b);
  const missUs = missSamples[missSamples.length >> 1]!;

  const round = (n: number) => Number(n.toFixed(2));
  const results = {
    generated_at: new Date().toISOString(),
    node: process.version,
    postgres: bench.serverVersion,
    server: bench.server,
    resolver_hit_us: round(hitUs),
    resolver_hit_with_token_us: round(hitTokenUs),
    host_parse_us: round(parseUs),
    resolver_miss_us: round(missUs),
    cache_hit_us: round(cacheHitUs),
    method: { hits: `mean over ${ITERATIONS} resolutions after warm-up`, miss: 'median over 2000 resolutions with the cache cleared' },
    targets: { resolver_hit_us: hitUs <= 50, cache_hit_us: cacheHitUs <= 5 },
  };
  const table = new Table({ head: ['figure', 'value', 'target', 'ok'], style: process.stdout.isTTY && !process.env.CI ? {} : { head: [], border: [] } });
  table.push(
    ['resolve subdomain, cache hit (us)', results.resolver_hit_us, '<= 50', hitUs <= 50 ? 'yes' : 'NO'],
    ['resolve subdomain + token claim, cache hit (us)', results.resolver_hit_with_token_us, '', ''],
    ['parse the host alone (us)', results.host_parse_us, '', ''],
    ['resolve, cache miss (us, one indexed read)', results.resolver_miss_us, '', ''],
    ['tenant cache hit, in-process store (us)', results.cache_hit_us, '<= 5', cacheHitUs <= 5 ? 'yes' : 'NO'],
  );
  console.log(table.toString());
  progress(`wrote ${await writeResults('resolver.json', results)}`);
} finally {
  await db.close();
  await bench.close();
}
