'use server';

import { invoices } from '@studio/db-schema/schema';
import { TenancyError } from '@studio/tenancy';
import { createTenant, inviteFirstOwner, setTenantLocale, setTenantStatus, startTenantExport } from '@studio/platform';
import { eq } from 'drizzle-orm';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { adminContext } from '~/admin-context';
import { getAuth } from '~/auth';
import { exportUrls, getAdmin, getBreakGlass } from '~/db';
import { findTenant } from '~/lib/console';
import { confirmsSlug, parseBreakGlass, parseInvoiceStatus, parseNewTenant, parseOwnerInvite, parseStatus, type FormState, type InviteState } from '~/lib/forms';
import { productTablesChanged } from '~/lib/product-cache';

const slugOf = (form: FormData) => String(form.get('slug') ?? '');

/** The form field a refusal of the package is about (TenantRegistryError, BreakGlassError), if any. */
function fieldOf(error: unknown): string | null {
  const field = TenancyError.is(error) ? (error as { field?: unknown }).field : undefined;
  return typeof field === 'string' && field !== 'tenant' ? field : null;
}

/** A refusal of the tenancy layer as a message for the whole form; anything else is a bug and is thrown. */
function formError(error: unknown): FormState {
  if (TenancyError.is(error)) return { error: error.message };
  throw error;
}

/**
 * A new tenant and the invitation of its first owner (nobody else can invite: it has no member).
 * The answer carries the invite link, shown once to hand over: there is no mail server here.
 */
export async function createTenantAction(_previous: InviteState, form: FormData): Promise<InviteState> {
  const session = await adminContext('platform-admin', '/tenants/new');
  const parsed = parseNewTenant(form);
  if (!parsed.ok) return parsed.state;
  const admin = await getAdmin();
  let created: { id: string; slug: string; name: string };
  try {
    created = await createTenant(admin, session, parsed.data);
  } catch (error) {
    const field = fieldOf(error);
    if (field) return { fieldErrors: { [field]: (error as Error).message }, values: parsed.values };
    return { ...formError(error), values: parsed.values };
  }
  revalidatePath('/');
  try {
    const sent = await inviteFirstOwner(admin, session, getAuth(), { tenantId: created.id, email: parsed.data.ownerEmail });
    return { ok: `${created.name} is created. Hand this link to ${sent.email}: accepting it makes them its owner.`, link: sent.link, email: sent.email, tenantSlug: created.slug, expiresAt: sent.expiresAt.toISOString() };
  } catch (error) {
    // The tenant stands; its page offers the invitation again.
    const message = TenancyError.is(error) ? error.message : 'the invitation could not be created';
    return { error: `${created.name} is created, but its owner is not invited: ${message} Invite them from its page.`, tenantSlug: created.slug };
  }
}

/** Invites the first owner of a tenant that has none; a new invitation replaces the pending one. */
export async function inviteOwnerAction(_previous: InviteState, form: FormData): Promise<InviteState> {
  const slug = slugOf(form);
  const path = `/tenants/${slug}`;
  const session = await adminContext('platform-admin', path);
  const parsed = parseOwnerInvite(form);
  if (!parsed.ok) return parsed.state;
  const admin = await getAdmin();
  const tenant = await findTenant(admin, slug);
  if (!tenant) return { error: 'No such tenant: it may have been erased.' };
  try {
    const sent = await inviteFirstOwner(admin, session, getAuth(), { tenantId: tenant.id, email: parsed.data.ownerEmail });
    revalidatePath(path);
    return { ok: `Invited ${sent.email} as owner of ${tenant.name}. Hand them this link:`, link: sent.link, email: sent.email, tenantSlug: tenant.slug, expiresAt: sent.expiresAt.toISOString() };
  } catch (error) {
    const field = fieldOf(error);
    if (field === 'email') return { fieldErrors: { ownerEmail: (error as Error).message }, values: parsed.values };
    return { ...formError(error), values: parsed.values };
  }
}

export async function setStatusAction(_previous: FormState, form: FormData): Promise<FormState> {
  const path = `/tenants/${slugOf(form)}`;
  const session = await adminContext('platform-admin', path);
  const parsed = parseStatus(form);
  if (!parsed.ok) return parsed.state;
  const admin = await getAdmin();
  const tenant = await findTenant(admin, slugOf(form));
  if (!tenant) return { error: 'No such tenant: it may have been erased.' };
  // Suspending is destructive for its users: the slug typed again, checked here (a forged POST
  // without it is refused), whatever the dialog did.
  if (parsed.data.status === 'suspended' && !confirmsSlug(form, tenant.slug)) {
    return { fieldErrors: { confirm: `Type ${tenant.slug} to confirm the suspension.` }, values: parsed.values };
  }
  try {
    const changed = await setTenantStatus(admin, session, tenant.id, parsed.data);
    revalidatePath(path);
    return { ok: changed.to === 'suspended' ? `${tenant.name} is suspended: its users are refused with your reason.` : `${tenant.name} is active again.` };
  } catch (error) {
    const field = fieldOf(error);
    if (field) return { fieldErrors: { [field]: (error as Error).message }, values: parsed.values };
    return formError(error);
  }
}

/** The tenant's locale (a tag, or '' for each reader's own language). */
export async function setLocaleAction(_previous: FormState, form: FormData): Promise<FormState> {
  const path = `/tenants/${slugOf(form)}`;
  const session = await adminContext('platform-admin', path);
  const admin = await getAdmin();
  const tenant = await findTenant(admin, slugOf(form));
  if (!tenant) return { error: 'No such tenant: it may have been erased.' };
  const value = String(form.get('locale') ?? '').slice(0, 100);
  try {
    const changed = await setTenantLocale(admin, session, tenant.id, value);
    revalidatePath(path);
    return { ok: changed.to ? `${tenant.name} now writes money and dates in ${changed.to}.` : `${tenant.name} now writes money and dates in each reader's language.` };
  } catch (error) {
    const field = fieldOf(error);
    if (field) return { fieldErrors: { [field]: (error as Error).message }, values: { locale: value } };
    return formError(error);
  }
}

export async function grantAccessAction(_previous: FormState, form: FormData): Promise<FormState> {
  const slug = slugOf(form);
  const session = await adminContext('platform-admin', `/tenants/${slug}`);
  const parsed = parseBreakGlass(form);
  if (!parsed.ok) return parsed.state;
  const tenant = await findTenant(await getAdmin(), slug);
  if (!tenant) return { error: 'No such tenant: it may have been erased.' };
  try {
    await (await getBreakGlass()).grant(session, { tenantId: tenant.id, ...parsed.data });
  } catch (error) {
    const field = fieldOf(error);
    if (field) return { fieldErrors: { [field]: (error as Error).message }, values: parsed.values };
    return { ...formError(error), values: parsed.values };
  }
  redirect(`/tenants/${tenant.slug}/data`);
}

export async function endAccessAction(_previous: FormState, form: FormData): Promise<FormState> {
  const slug = slugOf(form);
  const session = await adminContext('platform-admin', `/tenants/${slug}`);
  const tenant = await findTenant(await getAdmin(), slug);
  if (!tenant) return { error: 'No such tenant: it may have been erased.' };
  await (await getBreakGlass()).end(session, tenant.id);
  redirect(`/tenants/${tenant.slug}`);
}

export async function startExportAction(_previous: FormState, form: FormData): Promise<FormState> {
  const slug = slugOf(form);
  const path = `/tenants/${slug}/exports`;
  const session = await adminContext('platform-admin', path);
  const admin = await getAdmin();
  const tenant = await findTenant(admin, slug);
  if (!tenant) return { error: 'No such tenant: it may have been erased.' };
  try {
    // Runs on in this process after the response; its end is a platform event the page shows.
    await startTenantExport({ admin, session, tenantId: tenant.id, urls: exportUrls() });
  } catch (error) {
    return formError(error);
  }
  revalidatePath(path);
  return { ok: `Export of ${tenant.name} started.` };
}

/** A write under break-glass: only with a grant that allows writes, audited in the tenant's trail. */
export async function changeInvoiceStatusAction(_previous: FormState, form: FormData): Promise<FormState> {
  const slug = slugOf(form);
  const path = `/tenants/${slug}/data`;
  const session = await adminContext('platform-admin', path);
  const parsed = parseInvoiceStatus(form);
  if (!parsed.ok) return parsed.state;
  const tenant = await findTenant(await getAdmin(), slug);
  if (!tenant) return { error: 'No such tenant: it may have been erased.' };
  try {
    const { grant, tdb } = await (await getBreakGlass()).open(session, tenant.id, { viewing: `invoice ${parsed.data.invoiceId} (status change)` });
    const changed = await tdb
      .audited({ action: 'invoice.status_change', target: parsed.data.invoiceId, payload: { to: parsed.data.status, via: 'support_access', grantId: grant.id } })
      .update(invoices)
      .set({ status: parsed.data.status })
      .where(eq(invoices.id, parsed.data.invoiceId))
      .returning({ number: invoices.number });
    if (changed.length === 0) return { error: `No invoice ${parsed.data.invoiceId} in ${tenant.name}.` };
    await productTablesChanged(tenant.id, ['invoices']);
    revalidatePath(path);
    return { ok: `Invoice ${changed[0]!.number} is now ${parsed.data.status}.` };
  } catch (error) {
    if (TenancyError.is(error) && error.code === 'TENANT_READ_ONLY') {
      return { error: 'This support access is read-only: end it and ask again with "allow writes" ticked, giving the reason for the change.' };
    }
    return formError(error);
  }
}
