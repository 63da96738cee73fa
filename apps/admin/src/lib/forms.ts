/**
 * The console's form input, validated with zod before anything reaches the database; each
 * problem is reported on its field. The package functions check again (they may be called from
 * elsewhere); these give the messages the forms show.
 */
import { isUuid } from '@studio/tenancy';
import { parseSlug } from '@studio/tenancy/resolver';
import { BREAK_GLASS_MINUTES, breakGlassReasonProblem, emailProblem, STATUS_REASON_MAX, TENANT_NAME_MAX, visibleText } from '@studio/platform';
import { formValues, parseInput } from '@studio/ui/forms';
import { z } from 'zod';

/** What a form action answers (@studio/ui/forms): a message on success, errors by field, or one for the whole form. */
export type { FormState } from '@studio/ui/forms';
import type { FormState } from '@studio/ui/forms';

/** An owner invitation's answer: the link to hand over, shown once (no mail server here). */
export interface InviteState extends FormState {
  link?: string;
  email?: string;
  tenantSlug?: string;
  expiresAt?: string;
}

export const newTenantSchema = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .superRefine((slug, ctx) => {
      const parsed = parseSlug(slug);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    }),
  name: z.string().trim().min(1, 'Give the tenant a name.').max(TENANT_NAME_MAX, `Keep the name under ${TENANT_NAME_MAX} characters.`),
  ownerEmail: ownerEmail(),
});

/** The address of a tenant's first owner, checked as inviteFirstOwner checks it. */
function ownerEmail() {
  return z
    .string()
    .superRefine((email, ctx) => {
      const problem = emailProblem(email);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((email) => email.trim().toLowerCase());
}

export const ownerInviteSchema = z.object({ ownerEmail: ownerEmail() });

/**
 * A destructive action's confirmation: the tenant's slug typed again. Checked by the server action
 * (a forged POST without it is refused), not only by the dialog.
 */
export function confirmsSlug(form: FormData, slug: string): boolean {
  const typed = form.get('confirm');
  return typeof typed === 'string' && typed.trim() === slug;
}

export const statusSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('suspended'),
    reason: z
      .string()
      .trim()
      .min(3, "Say why (3 characters or more): the tenant's users see it when they are refused.")
      .max(STATUS_REASON_MAX, `Keep the reason under ${STATUS_REASON_MAX} characters.`),
  }),
  z.object({ status: z.literal('active') }),
]);

export const breakGlassSchema = z.object({
  // Visible words, as the package checks them: ten zero-width spaces are no reason.
  reason: z
    .string()
    .superRefine((reason, ctx) => {
      const problem = breakGlassReasonProblem(reason);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform(visibleText),
  minutes: z.coerce
    .number({ message: 'Choose how long the access lasts.' })
    .refine((m) => (BREAK_GLASS_MINUTES as readonly number[]).includes(m), `Choose one of ${BREAK_GLASS_MINUTES.join(', ')} minutes.`),
  allowWrites: z.boolean(),
});

export const invoiceStatusSchema = z.object({
  invoiceId: z.string().refine(isUuid, 'Unknown invoice.'),
  status: z.enum(['draft', 'sent', 'paid', 'void'], { message: 'Choose draft, sent, paid or void.' }),
});

export function parseNewTenant(form: FormData) {
  const values = formValues(form, ['slug', 'name', 'ownerEmail']);
  return parseInput(newTenantSchema, values, values);
}

export function parseOwnerInvite(form: FormData) {
  const values = formValues(form, ['ownerEmail']);
  return parseInput(ownerInviteSchema, values, values);
}

export function parseStatus(form: FormData) {
  const values = formValues(form, ['status', 'reason']);
  return parseInput(statusSchema, values, values);
}

export function parseBreakGlass(form: FormData) {
  const values = formValues(form, ['reason', 'minutes', 'allowWrites']);
  // An unticked checkbox is not sent at all.
  return parseInput(breakGlassSchema, { ...values, allowWrites: values.allowWrites === 'on' }, values);
}

export function parseInvoiceStatus(form: FormData) {
  const values = formValues(form, ['invoiceId', 'status']);
  return parseInput(invoiceStatusSchema, values, values);
}
