import { PageHeader } from '@studio/ui/components';
import Link from 'next/link';
import { Page } from '~/components/chrome';

export default function NotFound() {
  return (
    <Page>
      <PageHeader title="Not found" />
      <p>
        No such page or tenant. <Link href="/">All tenants</Link>
      </p>
    </Page>
  );
}
