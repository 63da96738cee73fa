'use client';

import { FormMessage, Notice, SelectField, TextareaField, TextField } from '@studio/ui/components';
import { ActionToast, ConfirmDialog, SubmitButton } from '@studio/ui/interactive';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useState } from 'react';
import {
  changeInvoiceStatusAction,
  createTenantAction,
  endAccessAction,
  grantAccessAction,
  inviteOwnerAction,
  setLocaleAction,
  setStatusAction,
  startExportAction,
} from '~/app/actions';
import type { FormState, InviteState } from '~/lib/forms';

/** What an action answered: in the form (it stays) and as a toast (it is noticed). */
function Outcome({ state }: { state: FormState }) {
  return (
    <>
      <FormMessage state={state} />
      <ActionToast state={state} />
    </>
  );
}

/** The invite link of an owner invitation, shown once: the admin hands it over (no mail server here). */
function InvitationLink({ state }: { state: InviteState }) {
  if (!state.link) return null;
  return (
    <Notice tone="accent" title={`Invite link for ${state.email}`} data-testid="owner-invitation">
      <p>
        Valid for a week: they open it, sign up or sign in with that address, confirm it, and accept. It is shown only now: if it is lost, invite
        again (the new link replaces this one).
      </p>
      <input readOnly value={state.link} data-testid="invite-link" aria-label="Invite link" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
    </Notice>
  );
}

export function NewTenantForm() {
  const [state, action] = useActionState<InviteState, FormData>(createTenantAction, {});
  if (state.tenantSlug && state.link) {
    return (
      <div data-testid="tenant-created">
        <Outcome state={state} />
        <InvitationLink state={state} />
        <p>
          <Link href={`/tenants/${state.tenantSlug}`} data-testid="open-tenant">
            Open the tenant
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form action={action} data-testid="new-tenant" noValidate className="max-w-xl">
      <TextField
        name="slug"
        label="Slug"
        state={state}
        placeholder="hooli"
        autoComplete="off"
        hint="3 to 63 lowercase letters, digits and hyphens; the tenant's address (hooli.example.com, /t/hooli)."
      />
      <TextField name="name" label="Name" state={state} placeholder="Hooli Inc." autoComplete="off" />
      <TextField
        name="ownerEmail"
        label="Owner's email"
        type="email"
        state={state}
        placeholder="gavin@hooli.example"
        hint="The person who will own the tenant: they get an invitation, and accepting it makes them its first owner."
      />
      <SubmitButton pendingLabel="Creating…">Create tenant and invite its owner</SubmitButton>
      <Outcome state={state} />
      {state.tenantSlug && (
        <p>
          <Link href={`/tenants/${state.tenantSlug}`}>Open the tenant</Link>
        </p>
      )}
    </form>
  );
}

/** Invites the first owner of a tenant that has none. */
export function InviteOwnerForm({ slug, again }: { slug: string; again: boolean }) {
  const [state, action] = useActionState<InviteState, FormData>(inviteOwnerAction, {});
  return (
    <form action={action} data-testid="invite-owner" noValidate className="max-w-xl">
      <input type="hidden" name="slug" value={slug} />
      <TextField name="ownerEmail" label="Owner's email" type="email" state={state} placeholder="owner@example.com" />
      <SubmitButton pendingLabel="Inviting…">{again ? 'Invite again (replaces the pending invitation)' : 'Invite the owner'}</SubmitButton>
      <Outcome state={state} />
      <InvitationLink state={state} />
    </form>
  );
}

/**
 * Suspend (behind a dialog in which the admin types the tenant's slug, which the server action
 * checks again) or reactivate. The reason is typed on the page; the dialog sends it.
 */
export function StatusForm({ slug, status }: { slug: string; status: 'active' | 'suspended' | 'read_only' }) {
  const [state, action] = useActionState<FormState, FormData>(setStatusAction, {});
  const [reason, setReason] = useState(state.values?.reason ?? '');
  if (status === 'read_only') return <p>Read-only while it is being moved: its status changes when the move ends.</p>;
  if (status === 'suspended') {
    return (
      <form action={action} data-testid="status-form">
        <input type="hidden" name="slug" value={slug} />
        <input type="hidden" name="status" value="active" />
        <SubmitButton pendingLabel="Reactivating…">Reactivate tenant</SubmitButton>
        <Outcome state={state} />
      </form>
    );
  }
  return (
    <div data-testid="status-form" className="max-w-xl">
      <p className="text-sm text-muted">Suspending refuses its users (showing them the reason) and stops its jobs; nothing is deleted, and it can be reactivated.</p>
      {/* Not in a form: the dialog's form sends it as `reason`. */}
      <TextField
        name="suspendReason"
        label="Reason, shown to its users"
        error={state.fieldErrors?.reason}
        defaultValue={state.values?.reason}
        placeholder="Unpaid since October"
        onChange={(e) => setReason(e.currentTarget.value)}
      />
      <ConfirmDialog
        data-testid="open-confirm"
        trigger="Suspend tenant"
        title={`Suspend ${slug}?`}
        description={
          <>
            Its users are refused{reason.trim() ? <> with your reason (“{reason.trim()}”)</> : null}, and its jobs stop until it is reactivated.
          </>
        }
        confirmLabel="Suspend tenant"
        typeToConfirm={slug}
        fields={{ slug, status: 'suspended', reason }}
        action={action}
      />
      {state.fieldErrors?.confirm && (
        <p role="alert" className="m-0 mt-1 text-sm text-danger" data-testid="error-confirm">
          {state.fieldErrors.confirm}
        </p>
      )}
      <Outcome state={state} />
    </div>
  );
}

export function BreakGlassForm({ slug, minutes, defaultMinutes }: { slug: string; minutes: readonly number[]; defaultMinutes: number }) {
  const [state, action] = useActionState<FormState, FormData>(grantAccessAction, {});
  return (
    <form action={action} data-testid="break-glass" noValidate className="max-w-xl">
      <input type="hidden" name="slug" value={slug} />
      <TextareaField
        name="reason"
        label="Reason"
        hint="Every member of the tenant sees it on a banner naming you while the access lasts; its owners and admins also find it in their audit trail."
        rows={2}
        state={state}
        placeholder="Ticket 4411: the customer reports wrong invoice totals"
      />
      <SelectField name="minutes" label="For" state={state} defaultValue={String(defaultMinutes)}>
        {minutes.map((m) => (
          <option key={m} value={m}>
            {m < 60 ? `${m} minutes` : `${m / 60} hour${m > 60 ? 's' : ''}`}
          </option>
        ))}
      </SelectField>
      <label className="mb-4 flex items-center gap-2">
        <input type="checkbox" name="allowWrites" defaultChecked={state.values?.allowWrites === 'on'} className="w-auto" /> Allow writes (otherwise read-only)
      </label>
      <SubmitButton pendingLabel="Opening…">Open support access</SubmitButton>
      <Outcome state={state} />
    </form>
  );
}

/**
 * The tenant's locale: a language from the list (each with how an amount and a date read in it),
 * or each reader's own. `options` are labelled on the server, so the page and its hydration agree.
 */
export function LocaleForm({ slug, current, options }: { slug: string; current: string | null; options: readonly { value: string; label: string }[] }) {
  const [state, action] = useActionState<FormState, FormData>(setLocaleAction, {});
  return (
    <form action={action} data-testid="locale-form" className="flex max-w-xl flex-col gap-3">
      <input type="hidden" name="slug" value={slug} />
      <SelectField name="locale" label="Language of money, dates and numbers" defaultValue={state.values?.locale ?? current ?? ''} error={state.fieldErrors?.locale}>
        <option value="">Each reader&apos;s own (their browser&apos;s language)</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </SelectField>
      <div>
        <SubmitButton pendingLabel="Saving…">Save language</SubmitButton>
      </div>
      <Outcome state={state} />
    </form>
  );
}

export function EndAccessForm({ slug }: { slug: string }) {
  const [state, action] = useActionState<FormState, FormData>(endAccessAction, {});
  return (
    <form action={action} data-testid="end-access">
      <input type="hidden" name="slug" value={slug} />
      <SubmitButton variant="secondary" pendingLabel="Ending…">
        End access now
      </SubmitButton>
      <Outcome state={state} />
    </form>
  );
}

export function StartExportForm({ slug }: { slug: string }) {
  const [state, action] = useActionState<FormState, FormData>(startExportAction, {});
  return (
    <form action={action} data-testid="start-export">
      <input type="hidden" name="slug" value={slug} />
      <SubmitButton pendingLabel="Starting…">Start an export</SubmitButton>
      <Outcome state={state} />
    </form>
  );
}

export function InvoiceStatusForm({ slug, invoiceId, status }: { slug: string; invoiceId: string; status: string }) {
  const [state, action] = useActionState<FormState, FormData>(changeInvoiceStatusAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2" data-testid="invoice-status">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="invoiceId" value={invoiceId} />
      {/* React resets the form after its action, to each field's default: keyed by the status, the
          default is the status just saved, not the one the page first showed. */}
      <select key={status} name="status" defaultValue={status} aria-label="Status" className="w-auto">
        {['draft', 'sent', 'paid', 'void'].map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      <SubmitButton variant="secondary" pendingLabel="Saving…">
        Save
      </SubmitButton>
      <Outcome state={state} />
    </form>
  );
}

/** Re-renders the page every `seconds` while `active` (an export running). */
export function AutoRefresh({ active, seconds = 2 }: { active: boolean; seconds?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), seconds * 1000);
    return () => clearInterval(timer);
  }, [active, seconds, router]);
  return null;
}
