/** 403: a member whose role lacks what this page needs (or a request that carried an API token). */
export default function Forbidden() {
  return (
    <main>
      <h1>Not allowed</h1>
      <p role="alert" data-testid="forbidden">
        Your role in this workspace does not allow this. Ask one of its owners or admins if you need it.
      </p>
    </main>
  );
}
