'use client';

import { Button, Input } from '@sextant/ui';
import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { Field } from '~/components/field';
import { Form } from '~/components/form';
import { SectionCard } from '~/components/section-card';
import { readForm } from '~/lib/form-data';

interface Props {
  callbackUrl: string;
  providers: { id: string; name: string }[];
  initialError: string | null;
}

function wait(seconds: number) {
  if (seconds < 60) return seconds <= 1 ? 'a second' : `${seconds} seconds`;
  const m = Math.ceil(seconds / 60);
  return m <= 1 ? 'a minute' : `${m} minutes`;
}

/** Posts to Auth.js' credentials callback ourselves so a 429 and its Retry-After reach the person. */
async function signInWithPassword(email: string, password: string, callbackUrl: string) {
  const { csrfToken } = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
  const res = await fetch('/api/auth/callback/credentials', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-auth-return-redirect': '1' },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl }),
  });
  if (res.status === 429) {
    const retryAfter = Number(res.headers.get('retry-after') ?? 60);
    return { error: `Too many sign-in attempts. Try again in ${wait(retryAfter)}.` };
  }
  const body = (await res.json().catch(() => ({}))) as { url?: string };
  if (!res.ok || !body.url || new URL(body.url, window.location.origin).searchParams.has('error')) {
    return { error: 'Wrong email or password.' };
  }
  return { url: callbackUrl };
}

export function SignInForm({ callbackUrl, providers, initialError }: Props) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(form: HTMLFormElement) {
    const { email, password } = readForm(form, ['email', 'password']);
    setPending(true);
    setError(null);
    try {
      const result = await signInWithPassword(email, password, callbackUrl);
      if (result.url) window.location.assign(result.url);
      else setError(result.error ?? 'Sign-in failed.');
    } catch {
      setError('The console could not be reached. Try again.');
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="w-full max-w-sm">
      <SectionCard
        title={<span className="text-xl">Sign in to Sextant</span>}
        description="Use the email and password your administrator gave you."
      >
        <div className="flex flex-col gap-4">
          <Form
            onSubmit={onSubmit}
            message={error}
            submitLabel={pending ? 'Signing in…' : 'Sign in'}
            pending={pending}
          >
            <Field id="email" label="Email">
              {(p) => <Input {...p} name="email" type="email" autoComplete="username" required autoFocus />}
            </Field>
            <Field id="password" label="Password">
              {(p) => (
                <Input {...p} name="password" type="password" autoComplete="current-password" required />
              )}
            </Field>
          </Form>
          {providers.length > 0 ? (
            <div className="flex flex-col gap-2 border-t pt-4">
              {providers.map((p) => (
                <Button
                  key={p.id}
                  variant="outline"
                  onClick={() => signIn(p.id, { redirectTo: callbackUrl })}
                >
                  Continue with {p.name}
                </Button>
              ))}
            </div>
          ) : null}
        </div>
      </SectionCard>
    </div>
  );
}
