import { publicAccess } from '@studio/tenancy/request';
import { SignOut } from '@studio/ui';

export const metadata = { title: 'Sign out' };

export default function SignOutPage() {
  publicAccess('signing out ends whatever session the browser holds');
  return (
    <main>
      <h1>Sign out</h1>
      <SignOut />
    </main>
  );
}
