'use client';

import { webhookSubscriberInput } from '@sextant/trpc/schemas';
import { Badge, Button, FieldError, Input, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { Field } from '~/components/field';
import { TableCard } from '~/components/table-card';
import { type InputIssue, stateFormErrors } from '~/lib/field-errors';
import { LocalTime } from '~/lib/local-time';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';

type Subscriber = RouterOutputs['statusPages']['subscribers']['items'][number];

const STATE_TONE = { pending: 'warning', confirmed: 'success', unsubscribed: 'neutral' } as const;

/** Who is told about this page: addresses for admins only, a webhook by its origin (its URL may be a token). */
export function Subscribers({ pageId }: { pageId: string }) {
  const trpc = useTRPC();
  const list = useSuspenseQuery(trpc.statusPages.subscribers.queryOptions({ pageId }));
  const { items, nextCursor } = list.data;
  return (
    <TableCard
      title="Subscribers"
      description={
        nextCursor ? `The newest ${items.length} are shown.` : 'Email subscribers confirm by a link first.'
      }
      columns={[{ label: 'Address' }, { label: 'State' }, { label: 'Components' }, { label: 'Since' }]}
      rowActions
      rows={items.length}
      empty="No subscribers yet."
      footer={<AddWebhook pageId={pageId} />}
      testId="status-page-subscribers"
    >
      {items.map((s) => (
        <SubscriberRow key={s.id} subscriber={s} />
      ))}
    </TableCard>
  );
}

function SubscriberRow({ subscriber: s }: { subscriber: Subscriber }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.statusPages.removeSubscriber.mutationOptions({
      onSuccess: () => toast.success('Subscriber removed.'),
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.statusPages.subscribers.pathKey() }),
    }),
  );
  const address = s.kind === 'email' ? s.email : `webhook ${s.webhookOrigin ?? ''}`;
  return (
    <TableRow data-testid="subscriber-row" data-state={s.state}>
      <TableCell className="font-medium">{address}</TableCell>
      <TableCell>
        <Badge tone={STATE_TONE[s.state]}>{s.state}</Badge>
      </TableCell>
      <TableCell className="text-sm text-muted-foreground">
        {s.components.length ? s.components.join(', ') : 'all'}
      </TableCell>
      <TableCell className="text-sm">
        <LocalTime value={s.confirmedAt ?? s.createdAt} />
      </TableCell>
      <TableCell className="text-right">
        <ConfirmButton
          label="Remove"
          variant="destructive"
          title="Remove this subscriber?"
          description={`${address} gets nothing more from this page, unsent notices included.`}
          action={remove}
          onConfirm={() => remove.mutate({ id: s.id })}
        />
      </TableCell>
    </TableRow>
  );
}

function AddWebhook({ pageId }: { pageId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [clientIssues, setClientIssues] = useState<InputIssue[]>([]);
  const add = useMutation(
    trpc.statusPages.addWebhookSubscriber.mutationOptions({
      onSuccess: () => {
        toast.success('Webhook subscribed.');
        setUrl('');
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.statusPages.subscribers.pathKey() }),
    }),
  );
  const { fieldError, message } = stateFormErrors(add.error, clientIssues, ['url']);
  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    add.reset();
    const checked = webhookSubscriberInput.safeParse({ pageId, url });
    setClientIssues(checked.success ? [] : checked.error.issues);
    if (checked.success) add.mutate(checked.data);
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-2 sm:flex-row sm:items-end" noValidate>
      <Field
        id="subscriber-webhook-url"
        label="Add a webhook"
        error={fieldError('url')}
        hint="Gets every notice of this page as JSON; the URL is stored encrypted and never shown again."
        className="flex flex-1 flex-col gap-1.5"
      >
        {(p) => <Input {...p} value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" />}
      </Field>
      <Button type="submit" variant="outline" disabled={add.isPending}>
        Add webhook
      </Button>
      {message ? <FieldError>{message}</FieldError> : null}
    </form>
  );
}
