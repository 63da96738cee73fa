import type { ReactNode } from 'react';

/** A page's title, a line saying what it is for, and its main actions (stacked on a phone). */
export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        <h1 className="m-0">{title}</h1>
        {description && <p className="m-0 mt-1 text-muted">{description}</p>}
      </div>
      {/* shrink-0: a long description must not squeeze a button onto two lines. */}
      {actions && <div className="flex shrink-0 flex-wrap gap-2">{actions}</div>}
    </div>
  );
}
