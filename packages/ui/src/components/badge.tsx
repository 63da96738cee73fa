import type { ReactNode } from 'react';
import { cx } from './cx';

export type Tone = 'neutral' | 'accent' | 'success' | 'warn' | 'danger';

const tones: Record<Tone, string> = {
  neutral: 'bg-surface-3 text-fg',
  accent: 'bg-accent-soft text-accent-soft-fg',
  success: 'bg-success-soft text-success-soft-fg',
  warn: 'bg-warn-soft text-warn-soft-fg',
  danger: 'bg-danger-soft text-danger-soft-fg',
};

/** The tone a status word reads as, wherever it comes from (invoices, tenants, jobs, members). */
const statusTones: Record<string, Tone> = {
  active: 'success',
  paid: 'success',
  done: 'success',
  completed: 'success',
  accepted: 'success',
  sent: 'accent',
  owner: 'accent',
  admin: 'accent',
  platform: 'accent',
  draft: 'neutral',
  member: 'neutral',
  pending: 'warn',
  running: 'warn',
  read_only: 'warn',
  interrupted: 'warn',
  expired: 'warn',
  void: 'danger',
  suspended: 'danger',
  failed: 'danger',
  revoked: 'danger',
  overdue: 'danger',
};

export function Badge({ tone = 'neutral', children, className, ...rest }: { tone?: Tone; children: ReactNode; className?: string; 'data-testid'?: string }) {
  return (
    <span {...rest} className={cx('inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap', tones[tone], className)}>
      {children}
    </span>
  );
}

/** A status as a coloured badge; the word itself stays the text (colour is never the only signal). */
export function StatusBadge({ status, label, ...rest }: { status: string; label?: ReactNode; 'data-testid'?: string }) {
  return (
    <Badge tone={statusTones[status] ?? 'neutral'} {...rest}>
      {label ?? status.replace(/_/g, ' ')}
    </Badge>
  );
}
