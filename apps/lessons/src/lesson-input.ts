import { formValues, parseInput, type ParsedForm } from '@studio/ui/forms';
import { z } from 'zod';

// Postgres text cannot hold NUL: refused here, as a field error, rather than by the database.
const storable = (field: string) => [(value: string) => !value.includes('\0'), `${field} contains a character that cannot be stored (NUL)`] as const;

/** What a member may write in a lesson plan; the messages are shown next to their fields. */
export const lessonInput = z.object({
  title: z.string().trim().min(1, 'Title is required').max(200, 'Title is at most 200 characters').refine(...storable('Title')),
  subject: z.string().trim().min(1, 'Subject is required').max(100, 'Subject is at most 100 characters').refine(...storable('Subject')),
  body: z.string().max(20_000, 'The plan is at most 20,000 characters').refine(...storable('The plan')),
  shared: z.boolean(),
});

export type LessonInput = z.infer<typeof lessonInput>;
export type LessonField = keyof LessonInput;

/** The form as typed, to fill it in again after an error. */
export interface LessonValues {
  title: string;
  subject: string;
  body: string;
  shared: boolean;
}

export type ParsedLesson = ParsedForm<LessonInput, LessonValues>;

/** Reads a lesson plan form (an unchecked checkbox sends nothing); one message per field. */
export function parseLessonForm(form: FormData): ParsedLesson {
  // Browsers send textarea line breaks as CRLF.
  const typed = formValues(form, ['title', 'subject', 'body']);
  const values: LessonValues = { ...typed, body: typed.body.replace(/\r\n/g, '\n'), shared: form.get('shared') === 'on' };
  return parseInput(lessonInput, values, values);
}
