import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { auth, externalProviders } from '~/auth/config';
import { sameOriginPath } from '~/lib/safe-redirect';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const params = await searchParams;
  // Only paths on this console are followed after sign-in; anything else goes to the Overview.
  const callbackUrl = sameOriginPath(params.callbackUrl);
  if ((await auth())?.user) redirect(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <SignInForm
        callbackUrl={callbackUrl}
        providers={externalProviders()}
        initialError={params.error ? 'Sign-in failed. Check your details and try again.' : null}
      />
    </main>
  );
}
