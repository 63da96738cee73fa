import type { ReactNode } from 'react';
import { cx } from './cx';

export function Card({ title, actions, children, className, ...rest }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; 'data-testid'?: string }) {
  return (
    <section {...rest} className={cx('rounded-xl border border-line bg-surface p-4 sm:p-5', className)}>
      {(title || actions) && (
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          {title && <h2 className="m-0 text-base font-semibold">{title}</h2>}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}

/** One figure of a dashboard: what it counts, the number, and a line of context. */
export function KpiCard({ label, value, hint, ...rest }: { label: ReactNode; value: ReactNode; hint?: ReactNode; 'data-testid'?: string }) {
  return (
    <div {...rest} className="rounded-xl border border-line bg-surface p-4">
      <div className="text-sm text-muted">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums">{value}</div>
      {hint && <div className="mt-1 text-xs text-muted">{hint}</div>}
    </div>
  );
}

export function CardGrid({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cx('grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4', className)}>{children}</div>;
}
