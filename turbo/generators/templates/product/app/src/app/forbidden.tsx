import { NotAllowedPage } from '@studio/ui/status-pages';

/** 403: a member whose role lacks what this page needs (src/permissions.ts), or a request with an API token. */
export default function Forbidden() {
  return <NotAllowedPage />;
}
