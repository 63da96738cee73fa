'use server';

import { isDatabaseUnavailable, TenancyError } from '@studio/tenancy';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import type { FormState } from '@studio/ui/forms';
import { parseLessonForm, type LessonField, type LessonValues } from '~/lesson-input';
import { createLesson, deleteLesson, shareLesson, updateLesson, type LessonChange } from '~/lessons';
import { pageContext } from '~/product';
import { tenantPath } from '~/paths';

/** One message per field (`fieldErrors`), shown next to it, or one for the whole form (`error`); what was typed (`values`). */
export interface LessonFormState extends FormState<LessonField, LessonValues> {
  saved?: boolean;
}

export interface LessonActionState {
  /** What was done, as a sentence (a toast). */
  ok?: string;
  error?: string;
}

const PROBLEMS: Record<Exclude<LessonChange, { ok: true }>['problem'], string> = {
  not_found: 'This lesson plan no longer exists, or is not shared with you.',
  forbidden: 'Only the author of this lesson plan, or an admin of this workspace, can change it.',
};

/** What the member reads when the tenancy layer refuses a write; anything else is a bug and is thrown. */
function refusal(error: unknown): string {
  if (TenancyError.is(error) && error.code === 'TENANT_READ_ONLY') return 'This workspace is read-only for the moment; nothing was saved. Try again later.';
  if (isDatabaseUnavailable(error)) return 'The database is unavailable for a moment; nothing was saved. Try again in a few seconds.';
  throw error;
}

const idOf = (form: FormData) => String(form.get('id') ?? '');

export async function createLessonAction(_previous: LessonFormState, form: FormData): Promise<LessonFormState> {
  const ctx = await pageContext('lessons:write', '/lessons/new');
  const input = parseLessonForm(form);
  if (!input.ok) return input.state;
  let id: string;
  try {
    id = await createLesson(ctx, input.data);
  } catch (error) {
    return { error: refusal(error), values: input.values };
  }
  revalidatePath(tenantPath(ctx.tenant.slug), 'layout');
  redirect(tenantPath(ctx.tenant.slug, `/lessons/${id}`));
}

export async function updateLessonAction(_previous: LessonFormState, form: FormData): Promise<LessonFormState> {
  const id = idOf(form);
  const ctx = await pageContext('lessons:write', `/lessons/${encodeURIComponent(id)}`);
  const input = parseLessonForm(form);
  if (!input.ok) return input.state;
  let result: LessonChange;
  try {
    result = await updateLesson(ctx, id, input.data);
  } catch (error) {
    return { error: refusal(error), values: input.values };
  }
  if (!result.ok) return { error: PROBLEMS[result.problem], values: input.values };
  revalidatePath(tenantPath(ctx.tenant.slug), 'layout');
  return { saved: true, ok: 'Lesson plan saved', values: input.values };
}

export async function shareLessonAction(_previous: LessonActionState, form: FormData): Promise<LessonActionState> {
  const id = idOf(form);
  const ctx = await pageContext('lessons:write', `/lessons/${encodeURIComponent(id)}`);
  const shared = form.get('shared') === 'true';
  let result: LessonChange;
  try {
    result = await shareLesson(ctx, id, shared);
  } catch (error) {
    return { error: refusal(error) };
  }
  if (!result.ok) return { error: PROBLEMS[result.problem] };
  revalidatePath(tenantPath(ctx.tenant.slug), 'layout');
  return { ok: shared ? `Shared with ${ctx.tenant.name}` : 'Private again: only you can see it' };
}

export async function deleteLessonAction(_previous: LessonActionState, form: FormData): Promise<LessonActionState> {
  const id = idOf(form);
  const ctx = await pageContext('lessons:write', `/lessons/${encodeURIComponent(id)}`);
  let result: LessonChange;
  try {
    result = await deleteLesson(ctx, id);
  } catch (error) {
    return { error: refusal(error) };
  }
  if (!result.ok) return { error: PROBLEMS[result.problem] };
  revalidatePath(tenantPath(ctx.tenant.slug), 'layout');
  redirect(`${tenantPath(ctx.tenant.slug)}?deleted=1`);
}
