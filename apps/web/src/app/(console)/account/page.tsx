import type { Metadata } from 'next';
import { requireSignedIn } from '~/server/session';
import { AccountView } from './account-view';

export const metadata: Metadata = { title: 'Account' };
export const dynamic = 'force-dynamic';

export default async function AccountPage() {
  const user = await requireSignedIn();
  return <AccountView email={user.email} role={user.role} mustChangePassword={user.mustChangePassword} />;
}
