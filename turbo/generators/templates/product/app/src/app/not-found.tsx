import Link from 'next/link';
import { NotFoundPage } from '@studio/ui/status-pages';

/** 404: no such page, or a workspace the caller is not a member of (pageContext answers them 404). */
export default function NotFound() {
  return (
    <NotFoundPage>
      <p>
        <Link href="/">Back to the start</Link>
      </p>
    </NotFoundPage>
  );
}
