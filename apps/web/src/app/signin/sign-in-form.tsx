'use client';

import {
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  FieldError,
  Input,
  Label,
} from '@sextant/ui';
import { signIn } from 'next-auth/react';
import { useState } from 'react';

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

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signInWithPassword(
        String(form.get('email')),
        String(form.get('password')),
        callbackUrl,
      );
      if (result.url) window.location.assign(result.url);
      else setError(result.error ?? 'Sign-in failed.');
    } catch {
      setError('The console could not be reached. Try again.');
    } finally {
      setPending(false);
    }
  }

  return (
    <Card className="w-full max-w-sm">
      <CardHeader>
        <CardTitle className="text-xl">Sign in to Sextant</CardTitle>
        <CardDescription>Use the email and password your administrator gave you.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="email">Email</Label>
            <Input id="email" name="email" type="email" autoComplete="username" required autoFocus />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="password">Password</Label>
            <Input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          {error ? <FieldError>{error}</FieldError> : null}
          <Button type="submit" disabled={pending}>
            {pending ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
        {providers.length > 0 ? (
          <div className="flex flex-col gap-2 border-t pt-4">
            {providers.map((p) => (
              <Button key={p.id} variant="outline" onClick={() => signIn(p.id, { redirectTo: callbackUrl })}>
                Continue with {p.name}
              </Button>
            ))}
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
