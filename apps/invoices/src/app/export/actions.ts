'use server';

import { audit, QuotaExceededError } from '@studio/tenancy';
import { startExport } from '~/jobs';
import type { FormState } from '~/lib/forms';
import { pageContext } from '~/page-context';
import { getQuotas } from '~/quotas';

/** "Export my data": a tenant job, limited per tenant (C12), its request in the audit trail. */
export async function requestExport(_previous: FormState, _form: FormData): Promise<FormState> {
  const ctx = await pageContext('/export');
  try {
    await getQuotas().consume(ctx, 'export');
  } catch (error) {
    if (error instanceof QuotaExceededError) return { error: `${error.message.replace(/ s\.$/, ' seconds.')}` };
    throw error;
  }
  const id = await startExport(ctx);
  await audit(ctx.db, { action: 'export.requested', target: id });
  return { redirectTo: `/export?id=${id}` };
}
