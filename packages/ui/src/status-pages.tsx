'use client';

import type { ReactNode } from 'react';
import { SignOut } from './auth-forms';
import { buttonClass } from './components/button';

/**
 * The pages a product app shows instead of a bare status (issue 23): a signed-in user who is not
 * a member of the workspace whose address they opened, a suspended workspace, a page that is not
 * allowed or not there. They show only what they are given: the app decides (from
 * `getTenancy().getStanding()`) what the caller may learn, and keeps the HTTP status (forbidden()
 * is 403, notFound() 404).
 */

export interface WorkspaceLink {
  id: string;
  name: string;
  /** Where the workspace lives (its subdomain or its path). */
  href: string;
}

/** A refusal stands alone (its own <main>, centred and narrow): the shell is for pages a member may open. */
const page = 'mx-auto my-10 max-w-xl px-4 sm:my-16';
const box = 'my-4 rounded-xl border border-line bg-surface-2 px-5 py-4';

/** The user's workspaces as links, or a line saying there are none. */
function Workspaces({ workspaces }: { workspaces: readonly WorkspaceLink[] }) {
  if (workspaces.length === 0) return <p data-testid="no-workspaces">You are not a member of any workspace yet: ask someone to invite you.</p>;
  return (
    <>
      <p>Your workspaces:</p>
      <ul data-testid="my-workspaces" className="list-disc ps-5">
        {workspaces.map((w) => (
          <li key={w.id}>
            <a href={w.href} data-testid={`workspace-${w.id}`}>
              {w.name}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * A signed-in user on a workspace they do not belong to: whose workspace this is, who they are
 * signed in as (perhaps the wrong account), a way out, and the workspaces they do belong to.
 */
export function NotAMemberPage({
  workspace,
  email,
  workspaces,
  signOutThen,
}: {
  /** The workspace's name (nothing else of it). */
  workspace: string;
  email: string;
  workspaces: readonly WorkspaceLink[];
  /** Where the browser goes once signed out (the workspace's sign-in page). */
  signOutThen: string;
}) {
  return (
    <main id="content" data-testid="not-a-member" className={page}>
      <h1>You are not a member of {workspace}</h1>
      <p>
        This workspace belongs to <strong data-testid="workspace-name">{workspace}</strong>. You are signed in as{' '}
        <strong data-testid="signed-in-as">{email}</strong>, who is not one of its members.
      </p>
      <p>If you should be, ask one of its owners or admins to invite this address, or sign out and sign in with another account.</p>
      <div className={box}>
        <SignOut then={signOutThen} />
      </div>
      <Workspaces workspaces={workspaces} />
    </main>
  );
}

/**
 * A suspended workspace. `reason` is for its members only: pass null to anyone else (the
 * tenancy's standing does).
 */
export function SuspendedPage({
  workspace,
  reason,
  signOutThen,
  children,
}: {
  workspace: string;
  reason: string | null;
  /** Signed in: where the browser goes once signed out (a way out of the workspace); omit when nobody is. */
  signOutThen?: string;
  children?: ReactNode;
}) {
  return (
    <main id="content" data-testid="suspended" className={page}>
      <h1>This workspace is suspended</h1>
      <p>
        <strong data-testid="workspace-name">{workspace}</strong> is suspended for the moment: its pages cannot be opened.
      </p>
      {reason ? (
        <p className={box} data-testid="suspension-reason">
          Reason given: {reason}
        </p>
      ) : (
        <p>If you belong to it, its owners have been told why.</p>
      )}
      {signOutThen ? (
        <div className={box}>
          <SignOut then={signOutThen} />
        </div>
      ) : null}
      {children}
    </main>
  );
}

/** 403 for a member whose role lacks what the page needs (or a request with an API token). */
export function NotAllowedPage({ children }: { children?: ReactNode }) {
  return (
    <main id="content" className={page}>
      <h1>Not allowed</h1>
      <p role="alert" data-testid="forbidden">
        Your role in this workspace does not allow this. Ask one of its owners or admins if you need it.
      </p>
      {children}
    </main>
  );
}

/** 404: no such page (or nothing the caller may see here). */
export function NotFoundPage({ children }: { children?: ReactNode }) {
  return (
    <main id="content" className={page}>
      <h1>Not found</h1>
      <p data-testid="not-found">There is no such page here. Check the address, or go back to the start.</p>
      {children}
    </main>
  );
}

/**
 * 500: the server could not finish the request (an app's `error.tsx`). A sentence and a way on,
 * never the error itself: Next sends a Server Component's error to the browser as a digest only,
 * and the digest is the reference to the server log's line.
 */
export function ServerErrorPage({ reference, retry, children }: { reference?: string; retry?: () => void; children?: ReactNode }) {
  return (
    <main id="content" className={page}>
      <h1>Something went wrong</h1>
      <p role="alert" data-testid="server-error">
        We could not finish this request. Nothing was changed unless a page said so. Try again in a moment; if it keeps happening, tell us the reference
        below.
      </p>
      {reference && (
        <p className="text-sm text-muted" data-testid="error-reference">
          Reference: <code>{reference}</code>
        </p>
      )}
      <p className="flex flex-wrap items-center gap-4">
        {retry && (
          <button type="button" className={buttonClass('primary')} onClick={retry}>
            Try again
          </button>
        )}
        <a href="/">Back to the start</a>
      </p>
      {children}
    </main>
  );
}
