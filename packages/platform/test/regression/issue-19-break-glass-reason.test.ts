/**
 * Issue 19: a break-glass reason of ten invisible characters was accepted; the tenant's members
 * then read an empty reason in their audit trail.
 */
import { describe, expect, it } from 'vitest';
import { BREAK_GLASS_REASON_MIN, breakGlassReasonProblem, visibleText } from '../../src/index';

describe('a break-glass reason', () => {
  it.each([
    ['ten zero-width spaces', '\u200b'.repeat(10)],
    ['zero-width joiners and a BOM', '\u200d\u200c\ufeff'.repeat(4)],
    ['Hangul fillers', '\u3164'.repeat(12)],
    ['braille blanks', '\u2800'.repeat(12)],
    ['bidi overrides around two letters', `\u202e${'\u2066'.repeat(10)}ok`],
    ['ten spaces of every kind', '\u00a0\u2003\u3000\t\n          '],
    ['punctuation only', '.........!!'],
    ['a short word padded with invisibles', `help${'\u200b'.repeat(10)}`],
  ])('of %s is refused', (_what, reason) => {
    expect(breakGlassReasonProblem(reason)).toMatch(/reason in words/);
  });

  it('in words is accepted, and kept as a reader sees it', () => {
    expect(breakGlassReasonProblem('Ticket 4411: totals look wrong')).toBeNull();
    expect(breakGlassReasonProblem('客户工单 4411：发票金额不对')).toBeNull();
    expect(visibleText('Ticket\u200b 4411:\u202e totals\n\nlook   wrong ')).toBe('Ticket 4411: totals look wrong');
    expect(visibleText('x'.repeat(BREAK_GLASS_REASON_MIN))).toHaveLength(BREAK_GLASS_REASON_MIN);
  });
});
