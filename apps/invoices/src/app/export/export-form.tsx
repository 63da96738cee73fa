'use client';

import { formatDateTime, formatNumber } from '@studio/ui/format';
import { useEffect, useState } from 'react';
import { FormError, SubmitButton, useFormAction } from '~/components/form';
import type { ExportStatus } from '~/jobs';
import { requestExport } from './actions';

export function ExportForm() {
  const [state, action, pending] = useFormAction(requestExport);
  return (
    <form method="post" action={action} data-testid="export-form">
      <SubmitButton pending={pending}>Export my data</SubmitButton>
      <FormError state={state} />
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
  const percent = status.total > 0 ? Math.floor((status.done / status.total) * 100) : 0;
  return (
    <section data-testid="export-progress" data-state={status.state}>
      <p>
        Export of <span suppressHydrationWarning>{formatDateTime(status.requestedAt, locale)}</span>: <strong data-testid="export-state">{status.state}</strong>
      </p>
      {status.state !== 'failed' && (
        <p>
          <progress max={100} value={status.state === 'done' ? 100 : percent} style={{ width: '20rem' }} /> {status.state === 'done' ? 100 : percent}% ({status.done} of {status.total} tables,{' '}
          {formatNumber(status.rows ?? 0, locale)} rows)
        </p>
      )}
      {status.state === 'done' && (
        <p>
          <a href={`/api/v1/exports/${status.id}/download`} data-testid="export-download">
            Download ({((status.bytes ?? 0) / 1024).toFixed(1)} KiB)
          </a>
        </p>
      )}
      {status.state === 'failed' && <p role="alert">{status.message}</p>}
      {problem && <p role="status">{problem}</p>}
    </section>
  );
}
