'use client';

import { useActionState, useMemo, useState } from 'react';
import { FormMessage, TextareaField, TextField, type FieldState } from '@studio/ui/components';
import { ActionToast, ConfirmDialog, SubmitButton, toast } from '@studio/ui/interactive';
import type { LessonValues } from '~/lesson-input';
import { createLessonAction, deleteLessonAction, shareLessonAction, updateLessonAction, type LessonActionState, type LessonFormState } from './actions';

// React renders a form whose action is a server action as a POST by itself; the submit buttons
// stay disabled until hydration (SubmitButton), so nothing is submitted natively.

/**
 * A lesson plan's fields: a new plan (with the sharing choice) or the edit of one. The server
 * action validates and answers with one message per field; what was typed is kept.
 */
export function LessonForm({ lesson, tenantName }: { lesson?: LessonValues & { id: string }; tenantName: string }) {
  const [state, action, pending] = useActionState<LessonFormState, FormData>(lesson ? updateLessonAction : createLessonAction, {});
  const typed = state.values ?? lesson ?? { title: '', subject: '', body: '', shared: false };
  // The fields read their error and what was typed from this (text values only).
  const fields: FieldState = useMemo(
    () => ({ fieldErrors: state.fieldErrors, values: state.values ? { title: state.values.title, subject: state.values.subject, body: state.values.body } : undefined }),
    [state],
  );
  return (
    // noValidate: the server's messages are the ones shown, the same with or without a browser's own checks.
    <form action={action} noValidate data-testid="lesson-form">
      {lesson && <input type="hidden" name="id" value={lesson.id} />}
      <TextField name="title" label="Title" state={fields} defaultValue={lesson?.title} />
      <TextField name="subject" label="Subject" placeholder="e.g. Mathematics" state={fields} defaultValue={lesson?.subject} />
      <TextareaField name="body" label="Plan" hint="Goals, materials, activities." rows={10} state={fields} defaultValue={lesson?.body} />
      {!lesson && (
        <label className="mb-4 flex items-center gap-2 font-normal">
          <input type="checkbox" name="shared" defaultChecked={typed.shared} className="size-4" /> Share with everyone at {tenantName}
        </label>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pendingLabel={lesson ? 'Saving…' : 'Creating…'}>{lesson ? 'Save changes' : 'Create lesson plan'}</SubmitButton>
        {state.saved && !pending && (
          <span role="status" data-testid="saved" className="text-sm font-medium text-success-soft-fg">
            Saved.
          </span>
        )}
      </div>
      <FormMessage state={{ error: state.error }} />
      <ActionToast state={state} />
    </form>
  );
}

/** Shares the plan with the whole tenant, or makes it private again. */
export function ShareToggle({ id, shared, tenantName }: { id: string; shared: boolean; tenantName: string }) {
  const [state, action] = useActionState<LessonActionState, FormData>(shareLessonAction, {});
  return (
    <form action={action} data-testid="share" className="contents">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="shared" value={shared ? 'false' : 'true'} />
      <SubmitButton variant="secondary" pendingLabel={shared ? 'Making private…' : 'Sharing…'}>
        {shared ? 'Stop sharing' : `Share with ${tenantName}`}
      </SubmitButton>
      {state.error && (
        <p role="alert" className="m-0 basis-full text-sm text-danger">
          {state.error}
        </p>
      )}
      <ActionToast state={state} />
    </form>
  );
}

/**
 * Deleting a plan, behind a confirmation dialog that names it. Confirming runs the server action
 * (deleteLessonAction), which goes to the list on success; a refusal is shown here.
 */
export function DeleteLesson({ id, title }: { id: string; title: string }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <ConfirmDialog
        trigger="Delete lesson plan"
        title="Delete this lesson plan?"
        description={
          <>
            <strong className="text-fg [overflow-wrap:anywhere]">{title}</strong> will be deleted for everyone it is shared with. This cannot be undone.
          </>
        }
        confirmLabel="Delete lesson plan"
        fields={{ id }}
        action={async (form) => {
          const answer = await deleteLessonAction({}, form);
          if (answer?.error) {
            setError(answer.error);
            toast.error(answer.error);
          }
        }}
        data-testid="delete"
      />
      {error && (
        <p role="alert" className="m-0 basis-full text-sm text-danger" data-testid="delete-error">
          {error}
        </p>
      )}
    </>
  );
}
