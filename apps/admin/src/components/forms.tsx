'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useEffect } from 'react';
import {
  changeInvoiceStatusAction,
  createTenantAction,
  endAccessAction,
  grantAccessAction,
  setStatusAction,
  startExportAction,
} from '~/app/actions';
import type { FormState } from '~/lib/forms';

function ErrorMessage({ message, testId }: { message: string | undefined; testId: string }) {
  return message ? (
    <span role="alert" className="error" data-testid={testId}>
      {message}
    </span>
  ) : null;
}

function FieldError({ state, field }: { state: FormState; field: string }) {
  return <ErrorMessage message={state.fieldErrors?.[field]} testId={`error-${field}`} />;
}

function Outcome({ state }: { state: FormState }) {
  return (
    <>
      <ErrorMessage message={state.error} testId="error-form" />
      {state.ok && (
        <p className="ok" data-testid="form-ok">
          {state.ok}
        </p>
      )}
    </>
  );
}

export function NewTenantForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(createTenantAction, {});
  return (
    <form action={action} data-testid="new-tenant" className="stack" noValidate>
      <label>
        Slug <input name="slug" defaultValue={state.values?.slug} placeholder="hooli" aria-describedby="slug-help" />
        <small id="slug-help">3 to 63 lowercase letters, digits and hyphens; the tenant&apos;s address (hooli.example.com, /t/hooli).</small>
        <FieldError state={state} field="slug" />
      </label>
      <label>
        Name <input name="name" defaultValue={state.values?.name} placeholder="Hooli Inc." />
        <FieldError state={state} field="name" />
      </label>
      <div>
        <button disabled={pending}>Create tenant</button>
      </div>
      <Outcome state={state} />
    </form>
  );
}

export function StatusForm({ slug, status }: { slug: string; status: 'active' | 'suspended' | 'read_only' }) {
  const [state, action, pending] = useActionState<FormState, FormData>(setStatusAction, {});
  if (status === 'read_only') return <p>Read-only while it is being moved: its status changes when the move ends.</p>;
  return (
    <form action={action} data-testid="status-form" className="stack" noValidate>
      <input type="hidden" name="slug" value={slug} />
      {status === 'active' ? (
        <>
          <input type="hidden" name="status" value="suspended" />
          <small>Suspending refuses its users (showing them the reason) and stops its jobs; nothing is deleted, and it can be reactivated.</small>
          <label>
            Reason, shown to its users <input name="reason" defaultValue={state.values?.reason} placeholder="Unpaid since October" />
            <FieldError state={state} field="reason" />
          </label>
          <div>
            <button disabled={pending} className="danger">
              Suspend tenant
            </button>
          </div>
        </>
      ) : (
        <>
          <input type="hidden" name="status" value="active" />
          <div>
            <button disabled={pending}>Reactivate tenant</button>
          </div>
        </>
      )}
      <Outcome state={state} />
    </form>
  );
}

export function BreakGlassForm({ slug, minutes, defaultMinutes }: { slug: string; minutes: readonly number[]; defaultMinutes: number }) {
  const [state, action, pending] = useActionState<FormState, FormData>(grantAccessAction, {});
  return (
    <form action={action} data-testid="break-glass" className="stack" noValidate>
      <input type="hidden" name="slug" value={slug} />
      <label>
        Reason (the tenant&apos;s members read it in their audit trail)
        <textarea name="reason" rows={2} defaultValue={state.values?.reason} placeholder="Ticket 4411: the customer reports wrong invoice totals" />
        <FieldError state={state} field="reason" />
      </label>
      <label>
        For{' '}
        <select name="minutes" defaultValue={state.values?.minutes || String(defaultMinutes)}>
          {minutes.map((m) => (
            <option key={m} value={m}>
              {m < 60 ? `${m} minutes` : `${m / 60} hour${m > 60 ? 's' : ''}`}
            </option>
          ))}
        </select>
        <FieldError state={state} field="minutes" />
      </label>
      <label className="inline">
        <input type="checkbox" name="allowWrites" defaultChecked={state.values?.allowWrites === 'on'} /> Allow writes (otherwise read-only)
      </label>
      <div>
        <button disabled={pending}>Open support access</button>
      </div>
      <Outcome state={state} />
    </form>
  );
}

export function EndAccessForm({ slug }: { slug: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(endAccessAction, {});
  return (
    <form action={action} data-testid="end-access">
      <input type="hidden" name="slug" value={slug} />
      <button disabled={pending}>End access now</button>
      <Outcome state={state} />
    </form>
  );
}

export function StartExportForm({ slug }: { slug: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(startExportAction, {});
  return (
    <form action={action} data-testid="start-export">
      <input type="hidden" name="slug" value={slug} />
      <button disabled={pending}>Start an export</button>
      <Outcome state={state} />
    </form>
  );
}

export function InvoiceStatusForm({ slug, invoiceId, status }: { slug: string; invoiceId: string; status: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(changeInvoiceStatusAction, {});
  return (
    <form action={action} className="inline" data-testid="invoice-status">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="invoiceId" value={invoiceId} />
      {/* React resets the form after its action, to each field's default: keyed by the status, the
          default is the status just saved, not the one the page first showed. */}
      <select key={status} name="status" defaultValue={status}>
        {['draft', 'sent', 'paid', 'void'].map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>{' '}
      <button disabled={pending}>Save</button>
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
