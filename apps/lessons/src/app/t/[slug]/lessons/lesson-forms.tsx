'use client';

import { useActionState, type CSSProperties } from 'react';
import { useHydrated } from '@studio/ui';
import type { LessonField, LessonValues } from '~/lesson-input';
import { createLessonAction, deleteLessonAction, shareLessonAction, updateLessonAction, type LessonActionState, type LessonFormState } from './actions';

const label: CSSProperties = { display: 'block', margin: '0.75rem 0 0.25rem', fontWeight: 600 };
const input: CSSProperties = { display: 'block', width: '100%', boxSizing: 'border-box', padding: '0.4rem', font: 'inherit' };
const fieldError: CSSProperties = { color: '#b91c1c', margin: '0.25rem 0 0' };

function FieldError({ state, field }: { state: LessonFormState; field: LessonField }) {
  const message = state.fieldErrors?.[field];
  if (!message) return null;
  return (
    <p id={`${field}-error`} role="alert" data-testid={`error-${field}`} style={fieldError}>
      {message}
    </p>
  );
}

// React renders a form whose action is a server action as a POST by itself; the buttons stay
// disabled until hydration, so nothing is submitted natively.

/**
 * A lesson plan's fields: a new plan (with the sharing choice) or the edit of one. The server
 * action validates and answers with one message per field; what was typed is kept.
 */
export function LessonForm({ lesson, tenantName }: { lesson?: LessonValues & { id: string }; tenantName: string }) {
  const [state, action, pending] = useActionState<LessonFormState, FormData>(lesson ? updateLessonAction : createLessonAction, {});
  const hydrated = useHydrated();
  const values = state.values ?? lesson ?? { title: '', subject: '', body: '', shared: false };
  const invalid = (field: LessonField) => (state.fieldErrors?.[field] ? { 'aria-invalid': true, 'aria-describedby': `${field}-error` } : {});
  return (
    // noValidate: the server's messages are the ones shown, the same with or without a browser's own checks.
    <form action={action} noValidate data-testid="lesson-form">
      {lesson && <input type="hidden" name="id" value={lesson.id} />}
      <label style={label} htmlFor="title">
        Title
      </label>
      <input id="title" name="title" defaultValue={values.title} style={input} {...invalid('title')} />
      <FieldError state={state} field="title" />
      <label style={label} htmlFor="subject">
        Subject
      </label>
      <input id="subject" name="subject" defaultValue={values.subject} placeholder="e.g. Mathematics" style={input} {...invalid('subject')} />
      <FieldError state={state} field="subject" />
      <label style={label} htmlFor="body">
        Plan
      </label>
      <textarea id="body" name="body" defaultValue={values.body} rows={10} placeholder="Goals, materials, activities" style={input} {...invalid('body')} />
      <FieldError state={state} field="body" />
      {!lesson && (
        <label style={{ display: 'block', margin: '0.75rem 0' }}>
          <input type="checkbox" name="shared" defaultChecked={values.shared} /> Share with everyone at {tenantName}
        </label>
      )}
      <p>
        <button disabled={pending || !hydrated}>{lesson ? 'Save changes' : 'Create lesson plan'}</button>{' '}
        {state.saved && !pending && (
          <span role="status" data-testid="saved">
            Saved.
          </span>
        )}
      </p>
      {state.error && (
        <p role="alert" data-testid="form-error" style={fieldError}>
          {state.error}
        </p>
      )}
    </form>
  );
}

/** Shares the plan with the whole tenant, or makes it private again. */
export function ShareToggle({ id, shared, tenantName }: { id: string; shared: boolean; tenantName: string }) {
  const [state, action, pending] = useActionState<LessonActionState, FormData>(shareLessonAction, {});
  const hydrated = useHydrated();
  return (
    <form action={action} data-testid="share" style={{ display: 'inline' }}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="shared" value={shared ? 'false' : 'true'} />
      <button disabled={pending || !hydrated}>{shared ? 'Stop sharing' : `Share with ${tenantName}`}</button>
      {state.error && (
        <span role="alert" style={fieldError}>
          {' '}
          {state.error}
        </span>
      )}
    </form>
  );
}

export function DeleteLesson({ id }: { id: string }) {
  const [state, action, pending] = useActionState<LessonActionState, FormData>(deleteLessonAction, {});
  const hydrated = useHydrated();
  return (
    <form action={action} data-testid="delete" style={{ display: 'inline' }}>
      <input type="hidden" name="id" value={id} />
      <button disabled={pending || !hydrated} style={{ color: '#b91c1c' }}>
        Delete lesson plan
      </button>
      {state.error && (
        <span role="alert" style={fieldError}>
          {' '}
          {state.error}
        </span>
      )}
    </form>
  );
}
