/**
 * The console's form input, validated with zod before anything reaches the database; each
 * problem is reported on its field. The package functions check again (they may be called from
 * elsewhere); these give the messages the forms show.
 */
import { isUuid } from '@studio/tenancy';
import { parseSlug } from '@studio/tenancy/resolver';
import { BREAK_GLASS_MINUTES, breakGlassReasonProblem, STATUS_REASON_MAX, TENANT_NAME_MAX, visibleText } from '@studio/platform';
import { z } from 'zod';

/** What a form action answers: a message on success, or errors by field (`form` for the whole form). */
export interface FormState<Field extends string = string> {
  ok?: string;
  errors?: Partial<Record<Field | 'form', string>>;
  /** What was typed, so a refused form keeps it. */
  values?: Partial<Record<Field, string>>;
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

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
});

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

type Parsed<T, Field extends string> = { ok: true; data: T; values: Partial<Record<Field, string>> } | { ok: false; state: FormState<Field> };

function parse<S extends z.ZodType, Field extends string>(schema: S, input: Record<string, unknown>, values: Partial<Record<Field, string>>): Parsed<z.infer<S>, Field> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data, values };
  const errors: Partial<Record<Field | 'form', string>> = {};
  for (const issue of result.error.issues) {
    const field = (typeof issue.path[0] === 'string' ? issue.path[0] : 'form') as Field | 'form';
    errors[field] ??= issue.message;
  }
  return { ok: false, state: { errors, values } };
}

export function parseNewTenant(form: FormData) {
  const values = { slug: text(form, 'slug'), name: text(form, 'name') };
  return parse<typeof newTenantSchema, 'slug' | 'name'>(newTenantSchema, values, values);
}

export function parseStatus(form: FormData) {
  const values = { status: text(form, 'status'), reason: text(form, 'reason') };
  return parse<typeof statusSchema, 'status' | 'reason'>(statusSchema, values, values);
}

export function parseBreakGlass(form: FormData) {
  const values = { reason: text(form, 'reason'), minutes: text(form, 'minutes'), allowWrites: text(form, 'allowWrites') };
  // An unticked checkbox is not sent at all.
  return parse<typeof breakGlassSchema, 'reason' | 'minutes' | 'allowWrites'>(breakGlassSchema, { ...values, allowWrites: values.allowWrites === 'on' }, values);
}

export function parseInvoiceStatus(form: FormData) {
  const values = { invoiceId: text(form, 'invoiceId'), status: text(form, 'status') };
  return parse<typeof invoiceStatusSchema, 'invoiceId' | 'status'>(invoiceStatusSchema, values, values);
}
