import { publicAccess } from '@studio/tenancy/request';
import { SignOut } from '@studio/ui';
import { CenteredShell } from '@studio/ui/interactive';

export const metadata = { title: 'Sign out' };

export default function SignOutPage() {
  publicAccess('signing out ends whatever session the browser holds');
  return (
    <CenteredShell product="Invoices">
      <h1>Sign out</h1>
      <SignOut />
    </CenteredShell>
  );
}
