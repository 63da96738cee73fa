'use client';

/** Any unexpected failure: a message and a way on, never a stack trace (the server log has the details). */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main style={{ maxWidth: 720, margin: '3rem auto', fontFamily: 'system-ui, sans-serif' }}>
      <h1>Something went wrong</h1>
      <p>
        The console could not finish this request (the database may be restarting). Nothing was changed unless the page said so. Try again in a
        moment.
      </p>
      {error.digest && (
        <p>
          <small>Reference for the server log: {error.digest}</small>
        </p>
      )}
      <button onClick={reset}>Try again</button>
    </main>
  );
}
