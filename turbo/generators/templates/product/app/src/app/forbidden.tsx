/** 403: a member whose role lacks what this page needs (src/permissions.ts), or a request with an API token. */
export default function Forbidden() {
  return (
    <main>
      <h1>Not allowed</h1>
      <p data-testid="forbidden">Your role in this workspace does not allow this. Ask one of its owners or admins.</p>
    </main>
  );
}
