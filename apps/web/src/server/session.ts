import 'server-only';
import { type Role, roleAtLeast } from '@sextant/db';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { auth } from '~/auth/config';

/** The signed-in user for this request (checked against the session registry), or a redirect to sign-in. */
export const requireSignedIn = cache(async () => {
  const session = await auth();
  if (session?.user) return session.user;
  // Only where to come back to after signing in; the sign-in page accepts nothing but paths on this console.
  const path = (await headers()).get('x-pathname') ?? '/';
  redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
});

/**
 * For every console page but Account: a user who must change the password is sent there first, and a page the
 * role cannot use does not exist for it (the API refuses the calls regardless). Decided by which page calls
 * it, never by a request header.
 */
export const requireSession = cache(async (minRole: Role = 'viewer') => {
  const user = await requireSignedIn();
  if (user.mustChangePassword) redirect('/account');
  if (!roleAtLeast(user.role, minRole)) notFound();
  return user;
});
