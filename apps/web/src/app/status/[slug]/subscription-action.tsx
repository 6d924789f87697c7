'use client';

import { Button, FieldError } from '@sextant/ui';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';

const COPY = {
  confirm: {
    title: 'Confirm your subscription',
    lead: 'One click and this address gets an email when an incident starts, changes or ends, and before maintenance.',
    button: 'Confirm subscription',
    done: (title: string) => `You are subscribed to updates from ${title}.`,
  },
  unsubscribe: {
    title: 'Unsubscribe',
    lead: 'One click and this address gets no more status emails from this page.',
    button: 'Unsubscribe',
    done: (title: string) => `You will get no more email from ${title}.`,
  },
} as const;

/**
 * The page a mail's link opens: one button that acts on the link's token. A GET never changes anything, since
 * mail scanners follow links; the RFC 8058 one-click POST goes to the API edge instead.
 */
export function SubscriptionAction({
  action,
  slug,
  token,
}: {
  action: 'confirm' | 'unsubscribe';
  slug: string;
  token: string;
}) {
  const trpc = useTRPC();
  const copy = COPY[action];
  const confirm = useMutation(trpc.statusPages.confirmSubscription.mutationOptions());
  const unsubscribe = useMutation(trpc.statusPages.unsubscribe.mutationOptions());
  const mutation = action === 'confirm' ? confirm : unsubscribe;
  const page = mutation.data?.page;
  // A click before hydration would be lost.
  const hydrated = useHydrated();
  return (
    <main className="mx-auto flex max-w-xl flex-col gap-4 px-4 py-16" data-testid={`subscription-${action}`}>
      <h1 className="text-2xl font-semibold tracking-tight">{copy.title}</h1>
      {mutation.isSuccess ? (
        <p role="status" data-testid="subscription-done">
          {copy.done(page?.title ?? 'this status page')}
        </p>
      ) : (
        <>
          <p className="text-sm text-muted-foreground">{copy.lead}</p>
          {mutation.error ? <FieldError>{mutation.error.message}</FieldError> : null}
          <Button
            className="w-fit"
            disabled={!hydrated || mutation.isPending || !token}
            onClick={() => mutation.mutate({ token })}
          >
            {copy.button}
          </Button>
          {token ? null : <FieldError>This link has no token; open the one in your email.</FieldError>}
        </>
      )}
      <Link href={`/status/${encodeURIComponent(page?.slug ?? slug)}`} className="text-sm underline">
        Back to the status page
      </Link>
    </main>
  );
}
