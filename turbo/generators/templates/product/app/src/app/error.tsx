'use client';

import { ServerErrorPage } from '@studio/ui/status-pages';

/** Any unexpected failure (a 500): a sentence, a retry and the log's reference, never a stack trace. */
export default function ErrorPage({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return <ServerErrorPage reference={error.digest} retry={retry} />;
}
