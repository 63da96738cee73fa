'use server';

import { audit } from '@studio/tenancy/audit';
import { isQuotaExceeded } from '@studio/tenancy/quotas';
import { startExport } from '~/jobs';
import type { FormState } from '~/lib/forms';
import { pageContext } from '~/product';
import { getQuotas } from '~/quotas';

/** "Export my data": a tenant job, limited per tenant (C12), its request in the audit trail. */
export async function requestExport(_previous: FormState, _form: FormData): Promise<FormState> {
  const ctx = await pageContext('exports:run', '/export');
  try {
    await getQuotas().consume(ctx, 'export');
  } catch (error) {
    // By its code, not instanceof: Next bundles @studio/tenancy once per layer, and the class that
    // threw may be another copy (an instanceof miss made this refusal a 500). The message says when, in words.
    if (isQuotaExceeded(error)) return { error: error.message };
    throw error;
  }
  const id = await startExport(ctx);
  await audit(ctx.db, { action: 'export.requested', target: id });
  return { redirectTo: `/export?id=${id}` };
}
