import { publicAccess } from '@studio/tenancy/request';
import { currentSession } from '~/admin-context';
import { SignOut } from '@studio/ui';
import { PageHeader } from '@studio/ui/components';
import { Page } from '~/components/chrome';

export const metadata = { title: 'Sign out' };

export const dynamic = 'force-dynamic';

export default async function SignOutPage() {
  publicAccess('signing out ends whatever session the browser holds');
  const session = await currentSession();
  return (
    <Page session={session}>
      <PageHeader title="Sign out" />
      <SignOut then="/sign-in" />
    </Page>
  );
}
