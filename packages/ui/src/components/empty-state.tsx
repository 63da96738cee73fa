import type { ReactNode } from 'react';

/** What a list shows when it has nothing: what would be here, and the action that adds the first one. */
export function EmptyState({ title, children, action, ...rest }: { title: ReactNode; children?: ReactNode; action?: ReactNode; 'data-testid'?: string }) {
  return (
    <div {...rest} className="rounded-xl border border-dashed border-line-strong px-6 py-10 text-center">
      <p className="mb-1 font-semibold">{title}</p>
      {children && <div className="mx-auto max-w-prose text-sm text-muted">{children}</div>}
      {action && <div className="mt-4 flex justify-center">{action}</div>}
    </div>
  );
}
