'use client';

import { useHydrated } from '@studio/ui';
import { Button, Card, FormMessage, StatusBadge } from '@studio/ui/components';
import { formatDateTime, formatNumber } from '@studio/ui/format';
import { useEffect, useState } from 'react';
import { useFormAction } from '~/components/form';
import type { ExportStatus } from '~/jobs';
import { requestExport } from './actions';
import { sizeOf } from './size';

export function ExportForm() {
  const [state, action, pending] = useFormAction(requestExport);
  const hydrated = useHydrated();
  return (
    <form method="post" action={action} data-testid="export-form">
      <FormMessage state={{ error: state.error }} />
      <Button type="submit" disabled={pending || !hydrated} aria-busy={pending || undefined}>
        {pending ? 'Starting…' : 'Export my data'}
      </Button>
    </form>
  );
}

/** The export's progress, polled every second until it is done (or failed). */
export function ExportProgress({ initial, locale }: { initial: ExportStatus; locale: string }) {
  const [status, setStatus] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (status.state === 'done' || status.state === 'failed') return;
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/api/v1/exports/${status.id}`, { cache: 'no-store' });
        if (!response.ok) throw new Error(`status ${response.status}`);
        setStatus(((await response.json()) as { export: ExportStatus }).export);
        setProblem(null);
      } catch (error) {
        // A dropped connection: keep polling, and say why the bar stopped.
        setProblem(`Could not read the progress (${error instanceof Error ? error.message : 'unknown'}); retrying.`);
        setStatus((s) => ({ ...s }));
      }
    }, 1000);
    return () => clearTimeout(timer);
  }, [status]);
  const percent = status.state === 'done' ? 100 : status.total > 0 ? Math.floor((status.done / status.total) * 100) : 0;
  return (
    <Card className="mt-6" data-testid="export-progress" data-state={status.state}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="m-0 text-base font-semibold">
          Export of <span suppressHydrationWarning>{formatDateTime(status.requestedAt, locale)}</span>
        </h2>
        <StatusBadge status={status.state} data-testid="export-state" />
      </div>
      {status.state !== 'failed' && (
        <>
          <div
            role="progressbar"
            aria-label="Export progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="mt-3 h-2 w-full overflow-hidden rounded-full bg-surface-3"
          >
            <div className="h-full rounded-full bg-accent transition-[width]" style={{ width: `${percent}%` }} />
          </div>
          <p className="m-0 mt-2 text-sm text-muted tabular-nums">
            {percent}% ({status.done} of {status.total} tables, {formatNumber(status.rows ?? 0, locale)} rows)
          </p>
        </>
      )}
      {status.state === 'done' && (
        <p className="m-0 mt-3">
          <a href={`/api/v1/exports/${status.id}/download`} data-testid="export-download" className="font-medium">
            Download ({sizeOf(status.bytes)})
          </a>
        </p>
      )}
      {status.state === 'failed' && (
        <p role="alert" className="m-0 mt-3 text-sm text-danger">
          {status.message}
        </p>
      )}
      {problem && (
        <p role="status" className="m-0 mt-2 text-sm text-muted">
          {problem}
        </p>
      )}
    </Card>
  );
}
