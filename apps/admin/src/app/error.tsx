'use client';

import { Button } from '@studio/ui/components';
import { CenteredShell } from '@studio/ui/interactive';

/** Any unexpected failure: a message and a way on, never a stack trace (the server log has the details). */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <CenteredShell product="Studio admin">
      <h1>Something went wrong</h1>
      <p>
        The console could not finish this request (the database may be restarting). Nothing was changed unless the page said so. Try again in a
        moment.
      </p>
      {error.digest && <p className="text-sm text-muted">Reference for the server log: {error.digest}</p>}
      <Button onClick={reset}>Try again</Button>
    </CenteredShell>
  );
}
