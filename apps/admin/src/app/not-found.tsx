import Link from 'next/link';
import { Page } from '~/components/chrome';

export default function NotFound() {
  return (
    <Page>
      <h1>Not found</h1>
      <p>
        No such page or tenant. <Link href="/">All tenants</Link>
      </p>
    </Page>
  );
}
