import { describe, expect, it } from 'vitest';
import { parseLessonForm } from '../src/lesson-input';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

describe('the lesson plan form', () => {
  it('accepts a plan, trimming the title and subject; an unchecked box is not shared', () => {
    const parsed = parseLessonForm(form({ title: '  Fractions  ', subject: ' Mathematics ', body: 'Line 1\r\nLine 2' }));
    expect(parsed).toEqual({
      ok: true,
      data: { title: 'Fractions', subject: 'Mathematics', body: 'Line 1\nLine 2', shared: false },
      values: { title: '  Fractions  ', subject: ' Mathematics ', body: 'Line 1\nLine 2', shared: false },
    });
    expect(parseLessonForm(form({ title: 'A', subject: 'B', shared: 'on' }))).toMatchObject({ ok: true, data: { shared: true, body: '' } });
  });

  it('says which field is wrong, one message each, and keeps what was typed', () => {
    const parsed = parseLessonForm(form({ title: '   ', subject: '', body: 'kept' }));
    expect(parsed).toEqual({
      ok: false,
      state: {
        fieldErrors: { title: 'Title is required', subject: 'Subject is required' },
        values: { title: '   ', subject: '', body: 'kept', shared: false },
      },
    });
  });

  it('limits the lengths', () => {
    const parsed = parseLessonForm(form({ title: 'x'.repeat(201), subject: 'y'.repeat(101), body: 'z'.repeat(20_001) }));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.state.fieldErrors).toEqual({
      title: 'Title is at most 200 characters',
      subject: 'Subject is at most 100 characters',
      body: 'The plan is at most 20,000 characters',
    });
    expect(parseLessonForm(form({ title: 'x'.repeat(200), subject: 'Art' })).ok).toBe(true);
  });

  it('refuses what Postgres text cannot store, as a field error', () => {
    const parsed = parseLessonForm(form({ title: 'a\0b', subject: 'Art' }));
    expect(!parsed.ok && parsed.state.fieldErrors).toEqual({ title: 'Title contains a character that cannot be stored (NUL)' });
  });

  it('treats missing fields and files as empty', () => {
    const data = new FormData();
    data.set('title', new Blob(['not text']), 'title.txt');
    expect(parseLessonForm(data)).toMatchObject({ ok: false, state: { fieldErrors: { title: 'Title is required', subject: 'Subject is required' } } });
  });
});
