/**
 * The soak: many requests from many tenants at once against the invoices JSON API, each checked
 * row by row. One request in ten is an attack (one tenant's token on another tenant's host),
 * which must be refused, never answered with data.
 */
import http from 'node:http';
import type { SoakTenant } from './seed';

export interface SoakOptions {
  port: number;
  tenants: SoakTenant[];
  requests: number;
  concurrency: number;
  /** Every n-th request is an attack (default 10). */
  attackEvery?: number;
  onProgress?: (done: number) => void;
}

export interface SoakResult {
  requests: number;
  concurrency: number;
  tenants: number;
  ok: number;
  attacks: number;
  attacksRefused: number;
  /** Rows of another tenant in any answer: must be 0. */
  crossTenantRows: number;
  /** 5xx other than the one honest answer during a fault: must be 0. */
  serverErrors: number;
  /** 503 DATABASE_UNAVAILABLE + Retry-After: the database dropped the connection (faults only). */
  unavailable: number;
  /** Answers that were neither the data nor a refusal (status, count). */
  unexpected: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
  requestsPerSecond: number;
}

interface Answer {
  status: number;
  body: string;
}

export function get(agent: http.Agent, port: number, host: string, token: string, path = '/api/v1/invoices'): Promise<Answer> {
  return send(agent, port, { method: 'GET', host, token, path });
}

/** One request to the app on loopback, with the Host and bearer token given. */
export function send(agent: http.Agent, port: number, options: { method: string; host: string; token: string; path: string; body?: string }): Promise<Answer> {
  const { method, host, token, path, body } = options;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host, authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const request = http.request({ agent, method, host: '127.0.0.1', port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

export async function soak(options: SoakOptions): Promise<SoakResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const owner = new Map<string, string>();
  for (const t of options.tenants) for (const id of t.invoiceIds) owner.set(id, t.slug);
  const attackEvery = options.attackEvery ?? 10;
  const result: SoakResult = {
    requests: options.requests,
    concurrency: options.concurrency,
    tenants: options.tenants.length,
    ok: 0,
    attacks: 0,
    attacksRefused: 0,
    crossTenantRows: 0,
    serverErrors: 0,
    unavailable: 0,
    unexpected: {},
    p50Ms: 0,
    p99Ms: 0,
    seconds: 0,
    requestsPerSecond: 0,
  };
  const latencies: number[] = [];
  const n = options.tenants.length;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < options.requests; i = next++) {
      const tenant = options.tenants[i % n]!;
      const attack = i % attackEvery === attackEvery - 1;
      const host = attack ? `${options.tenants[(i + 1 + (i % (n - 1))) % n]!.slug}.localhost:${options.port}` : `${tenant.slug}.localhost:${options.port}`;
      const t0 = performance.now();
      const answer = await get(agent, options.port, host, tenant.token);
      latencies.push(performance.now() - t0);
      if (answer.status === 503 && answer.body.includes('"DATABASE_UNAVAILABLE"')) {
        result.unavailable++;
      } else if (answer.status >= 500) {
        result.serverErrors++;
      }
      if (answer.status === 200) {
        const body = JSON.parse(answer.body) as { tenant: string; invoices: { id: string }[] };
        const expected = attack ? '(refusal)' : tenant.slug;
        for (const row of body.invoices) if (owner.get(row.id) !== expected) result.crossTenantRows++;
        if (attack) result.unexpected['200 to an attack'] = (result.unexpected['200 to an attack'] ?? 0) + 1;
        else if (body.tenant === tenant.slug && body.invoices.length === tenant.invoiceIds.size) result.ok++;
        else result.unexpected['200 with the wrong rows'] = (result.unexpected['200 with the wrong rows'] ?? 0) + 1;
      } else if (attack && answer.status >= 400 && answer.status < 500) {
        result.attacksRefused++;
      } else if (answer.status !== 503 || !answer.body.includes('"DATABASE_UNAVAILABLE"')) {
        const key = `${answer.status} ${answer.body.slice(0, 120)}`;
        result.unexpected[key] = (result.unexpected[key] ?? 0) + 1;
      }
      if (attack) result.attacks++;
      if (i % 1000 === 999) options.onProgress?.(i + 1);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  agent.destroy();
  result.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  result.requestsPerSecond = Math.round(options.requests / result.seconds);
  latencies.sort((a, b) => a - b);
  result.p50Ms = Number(latencies[Math.floor(latencies.length * 0.5)]!.toFixed(1));
  result.p99Ms = Number(latencies[Math.floor(latencies.length * 0.99)]!.toFixed(1));
  return result;
}
