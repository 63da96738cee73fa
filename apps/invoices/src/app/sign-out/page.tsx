import { SignOut } from '@studio/ui';

export default function SignOutPage() {
  return (
    <main>
      <h1>Sign out</h1>
      <SignOut />
    </main>
  );
}
