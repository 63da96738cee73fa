import { randomUUID } from 'node:crypto';
import { lessonPlans } from '@studio/db-schema/schema';
import { can, requireTenantRole, type TenantContext } from '@studio/tenancy/request';
import { isUuid, type TenantDb } from '@studio/tenancy';
import { and, desc, eq, or } from 'drizzle-orm';
import type { LessonInput } from './lesson-input';

/**
 * Lesson plans as a member sees them: their own, and those shared inside the tenant. Only the
 * author, or an admin or owner of the tenant, may change a plan. The tenant filter is not written
 * here: the scoped client adds it, and the query guard refuses any statement without it (C4).
 */

/** What the functions need of getTenantContext(): the scoped client and who is asking. */
export type LessonContext = Pick<TenantContext, 'db' | 'membership' | 'permissions' | 'tenant'>;

export interface Lesson {
  id: string;
  title: string;
  subject: string;
  body: string;
  authorId: string | null;
  shared: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type LessonSummary = Omit<Lesson, 'body' | 'createdAt'>;

/** The answer of a change: a plan this member cannot see is as unknown as a made-up id. */
export type LessonChange = { ok: true; id: string } | { ok: false; problem: 'not_found' | 'forbidden' };

/** The one id check of @studio/tenancy: anything else is as unknown as a made-up id. */
export function isLessonId(id: string): boolean {
  return isUuid(id);
}

const visibleTo = (userId: string) => or(eq(lessonPlans.authorId, userId), eq(lessonPlans.shared, true));

/** The author, or whoever holds lessons:edit-any (owners and admins, src/permissions.ts). */
export function mayEdit(ctx: Pick<TenantContext, 'membership' | 'permissions'>, plan: Pick<Lesson, 'authorId'>): boolean {
  if (!ctx.membership) return false;
  return plan.authorId === ctx.membership.userId || can(ctx, 'lessons:edit-any');
}

/** The member's own plans and the tenant's shared ones, most recently changed first. */
export async function listLessons(ctx: LessonContext, limit = 200): Promise<LessonSummary[]> {
  const me = requireTenantRole(ctx, 'member');
  return ctx.db
    .select({ id: lessonPlans.id, title: lessonPlans.title, subject: lessonPlans.subject, authorId: lessonPlans.authorId, shared: lessonPlans.shared, updatedAt: lessonPlans.updatedAt })
    .from(lessonPlans)
    .where(visibleTo(me.userId))
    .orderBy(desc(lessonPlans.updatedAt), desc(lessonPlans.id))
    .limit(limit);
}

const lessonColumns = {
  id: lessonPlans.id,
  title: lessonPlans.title,
  subject: lessonPlans.subject,
  body: lessonPlans.body,
  authorId: lessonPlans.authorId,
  shared: lessonPlans.shared,
  createdAt: lessonPlans.createdAt,
  updatedAt: lessonPlans.updatedAt,
};

/** One plan this member may see, or null (not an id, another tenant's, someone else's unshared). */
export async function findLesson(ctx: LessonContext, id: string): Promise<Lesson | null> {
  const me = requireTenantRole(ctx, 'member');
  if (!isLessonId(id)) return null;
  const [plan] = await ctx.db
    .select(lessonColumns)
    .from(lessonPlans)
    .where(and(eq(lessonPlans.id, id), visibleTo(me.userId)))
    .limit(1);
  return plan ?? null;
}

/** A new plan by the signed-in member, audited in the same round trip (C10). */
export async function createLesson(ctx: LessonContext, input: LessonInput): Promise<string> {
  const me = requireTenantRole(ctx, 'member');
  const id = randomUUID();
  await ctx.db
    .audited({ action: 'lesson.create', target: id, payload: { title: input.title, subject: input.subject, shared: input.shared } })
    .insert(lessonPlans)
    .values({ id, ...input, authorId: me.userId });
  return id;
}

/**
 * Runs `change` on a plan this member may edit, in one transaction: the plan is locked while
 * the right to change it is checked, and the audit row commits with the change or not at all.
 */
async function changeLesson(ctx: LessonContext, id: string, change: (tx: TenantDb, plan: Lesson) => Promise<void>): Promise<LessonChange> {
  const me = requireTenantRole(ctx, 'member');
  if (!isLessonId(id)) return { ok: false, problem: 'not_found' };
  return ctx.db.transaction(async (tx) => {
    const [plan] = await tx
      .select(lessonColumns)
      .from(lessonPlans)
      .where(and(eq(lessonPlans.id, id), visibleTo(me.userId)))
      .limit(1)
      .for('update');
    if (!plan) return { ok: false, problem: 'not_found' } as const;
    if (!mayEdit(ctx, plan)) return { ok: false, problem: 'forbidden' } as const;
    await change(tx, plan);
    return { ok: true, id } as const;
  });
}

export function updateLesson(ctx: LessonContext, id: string, input: Omit<LessonInput, 'shared'>): Promise<LessonChange> {
  return changeLesson(ctx, id, async (tx, plan) => {
    const changed = (['title', 'subject', 'body'] as const).filter((field) => plan[field] !== input[field]);
    if (changed.length === 0) return;
    await tx
      .audited({ action: 'lesson.update', target: id, payload: { title: input.title, subject: input.subject, changed } })
      .update(lessonPlans)
      .set({ title: input.title, subject: input.subject, body: input.body })
      .where(eq(lessonPlans.id, id));
  });
}

/** Shares the plan with every member of the tenant, or makes it the author's own again. */
export function shareLesson(ctx: LessonContext, id: string, shared: boolean): Promise<LessonChange> {
  return changeLesson(ctx, id, async (tx, plan) => {
    if (plan.shared === shared) return;
    await tx.audited({ action: 'lesson.share', target: id, payload: { title: plan.title, shared } }).update(lessonPlans).set({ shared }).where(eq(lessonPlans.id, id));
  });
}

export function deleteLesson(ctx: LessonContext, id: string): Promise<LessonChange> {
  return changeLesson(ctx, id, async (tx, plan) => {
    await tx.audited({ action: 'lesson.delete', target: id, payload: { title: plan.title, subject: plan.subject } }).delete(lessonPlans).where(eq(lessonPlans.id, id));
  });
}
