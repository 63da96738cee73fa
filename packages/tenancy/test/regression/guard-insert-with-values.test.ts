/**
 * INSERT ... WITH ... VALUES: the WITH attached to the VALUES of an INSERT was never analysed,
 * so `insert into lesson_plans (...) with leak as (select ... from lesson_plans) values ($1, ...,
 * (select t from leak))` copied any tenant's rows into the current one (issue 18).
 */
import { describe, expect, it } from 'vitest';
import { allowed, refusal } from './guard-fixture';

describe('a WITH on an INSERT is analysed like any other', () => {
  it.each([
    ['WITH between the column list and VALUES', 'insert into lesson_plans (tenant_id, title, body) with leak as (select title, body from lesson_plans) values ($1, (select title from leak limit 1), (select body from leak limit 1))'],
    ['the whole row of an unfiltered CTE', 'insert into lesson_plans (tenant_id, title) with leak as (select * from lesson_plans) values ($1, (select leak::text from leak limit 1))'],
    ['WITH before the INSERT', 'with leak as (select title from lesson_plans) insert into lesson_plans (tenant_id, title) values ($1, (select title from leak limit 1))'],
    ['a sub-select in VALUES', 'insert into lesson_plans (tenant_id, title) values ($1, (select title from lesson_plans limit 1))'],
    ['a sub-select in a second VALUES row', 'insert into lesson_plans (tenant_id, title) values ($1, $2), ($1, (select title from lesson_plans limit 1))'],
  ])('%s', (_name, sql) => {
    const error = refusal(sql);
    expect(error.reason).toBe('unscoped');
    expect(error.table).toBe('lesson_plans');
  });

  it('and lets a scoped one through', () => {
    expect(() =>
      allowed('insert into lesson_plans (tenant_id, title) with mine as (select title from lesson_plans where tenant_id = $1) values ($1, (select title from mine limit 1))'),
    ).not.toThrow();
  });
});
