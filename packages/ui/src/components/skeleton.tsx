/** Placeholders while a page loads (an app's loading.tsx): the shape of a page, announced as loading. */
export function LoadingPage({ label = 'Loading…' }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="animate-pulse" data-testid="loading">
      <span className="sr-only">{label}</span>
      <div className="mb-6 h-7 w-48 rounded-md bg-surface-3" />
      <div className="mb-3 h-4 w-full max-w-xl rounded bg-surface-3" />
      <div className="mb-3 h-4 w-full max-w-md rounded bg-surface-3" />
      <div className="mt-6 h-40 w-full rounded-xl bg-surface-3" />
    </div>
  );
}
