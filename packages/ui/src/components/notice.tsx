import type { ReactNode } from 'react';
import { cx } from './cx';
import type { Tone } from './badge';

const tones: Record<Tone, string> = {
  neutral: 'border-line bg-surface-2 text-fg',
  accent: 'border-accent/40 bg-accent-soft text-accent-soft-fg',
  success: 'border-success-soft-fg/30 bg-success-soft text-success-soft-fg',
  warn: 'border-warn-line bg-warn-soft text-warn-soft-fg',
  danger: 'border-danger/40 bg-danger-soft text-danger-soft-fg',
};

/** A boxed message in the page: a title line and what to do. `role` is the caller's (alert for errors, status for news). */
export function Notice({
  tone = 'neutral',
  title,
  children,
  role,
  className,
  ...rest
}: {
  tone?: Tone;
  title?: ReactNode;
  children?: ReactNode;
  role?: 'alert' | 'status' | 'note';
  className?: string;
  'data-testid'?: string;
}) {
  return (
    <div {...rest} role={role} className={cx('my-4 rounded-xl border px-4 py-3 text-sm [&_a]:text-inherit [&_a]:underline [&_p:last-child]:mb-0', tones[tone], className)}>
      {title && <p className="mb-1 font-semibold">{title}</p>}
      {children}
    </div>
  );
}
