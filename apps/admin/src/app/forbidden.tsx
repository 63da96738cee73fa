import { currentSession } from '~/admin-context';
import { NotAdmin } from '~/components/not-admin';

/** 403: signed in, but not a platform admin. */
export default async function Forbidden() {
  return <NotAdmin session={await currentSession()} />;
}
