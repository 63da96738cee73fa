import 'server-only';
import { createQuotas, type Quotas } from '@studio/tenancy/quotas';
import { env } from './env';

type Operation = 'pdf' | 'export';

const globalForQuotas = globalThis as unknown as { studioQuotas?: Quotas<Operation> };

/**
 * Per-tenant limits on the expensive operations (C12): one tenant rendering PDFs in a loop or
 * exporting again and again uses up its own quota, never another's; inside a tenant, each person
 * (or an API token's maker) has a share, so one member cannot lock the others out. In Redis when
 * REDIS_URL is set, so every process of the app draws on the same buckets (while Redis is
 * unreachable, each process counts on its own); in process otherwise.
 */
export function getQuotas(): Quotas<Operation> {
  globalForQuotas.studioQuotas ??= createQuotas<Operation>(
    {
      pdf: { points: 60, perSeconds: 60, perPerson: 30 },
      export: { points: 6, perSeconds: 3600, perPerson: 2 },
    },
    { redisUrl: env.redisUrl },
  );
  return globalForQuotas.studioQuotas;
}
