import Link from 'next/link';

/** 403: signed in and a member, but this needs a permission the member's role does not have (or an API token asked for a page). */
export default function Forbidden() {
  return (
    <main>
      <h1>Not allowed</h1>
      <p data-testid="forbidden">Your role in this workspace does not allow this. Ask an owner or admin if you need it.</p>
      <p>
        <Link href="/">Back to the dashboard</Link>
      </p>
    </main>
  );
}
