import 'server-only';
import { type Role, roleAtLeast } from '@sextant/db';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { auth } from '~/auth/config';

/** The signed-in user for this request (checked against the session registry), or a redirect to sign-in. */
export const requireSession = cache(async (minRole: Role = 'viewer') => {
  const session = await auth();
  const path = (await headers()).get('x-pathname') ?? '/';
  if (!session?.user) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  if (session.user.mustChangePassword && !path.startsWith('/account')) redirect('/account');
  // A page the role cannot use does not exist for it; the API refuses the calls regardless.
  if (!roleAtLeast(session.user.role, minRole)) notFound();
  return session.user;
});
