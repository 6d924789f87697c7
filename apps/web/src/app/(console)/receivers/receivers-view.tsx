'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Badge, Button, buttonVariants, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { KIND_LABEL } from './receiver-form';

type Receiver = RouterOutputs['receivers']['list'][number];
type Integration = Receiver['integrations'][number];

export function ReceiversView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const receivers = useSuspenseQuery(trpc.receivers.list.queryOptions());
  const canEdit = roleAtLeast(role, 'maintainer');
  return (
    <ConsolePage
      title="Receivers"
      description="Where notifications go: each receiver's integrations are told independently. Secrets are stored encrypted and never shown again."
      action={
        canEdit ? (
          <Link href="/receivers/new" className={buttonVariants()} data-testid="new-receiver">
            New receiver
          </Link>
        ) : null
      }
      refreshed={[receivers]}
    >
      <TableCard
        columns={[{ label: 'Name' }, { label: 'Integrations' }]}
        rowActions={canEdit}
        rows={receivers.data.length}
        empty="No receivers yet."
        testId="receivers"
      >
        {receivers.data.map((r) => (
          <ReceiverRow key={r.id} receiver={r} canEdit={canEdit} />
        ))}
      </TableCard>
    </ConsolePage>
  );
}

function ReceiverRow({ receiver: r, canEdit }: { receiver: Receiver; canEdit: boolean }) {
  return (
    <TableRow data-testid="receiver-row" data-name={r.name}>
      <TableCell className="align-top">
        <Link href={`/receivers/${r.id}`} className="font-medium hover:underline">
          {r.name}
        </Link>
        {r.description ? <p className="text-xs text-muted-foreground">{r.description}</p> : null}
      </TableCell>
      <TableCell>
        <ul className="flex flex-col gap-1.5">
          {r.integrations.length === 0 ? <li className="text-sm text-muted-foreground">none</li> : null}
          {r.integrations.map((i) => (
            <IntegrationLine key={i.id} integration={i} canTest={canEdit} />
          ))}
        </ul>
      </TableCell>
      {canEdit ? (
        <TableCell className="text-right align-top">
          <div className="flex justify-end gap-2">
            <Link href={`/receivers/${r.id}`} className={buttonVariants({ size: 'sm', variant: 'outline' })}>
              Edit
            </Link>
            <DeleteButton receiver={r} />
          </div>
        </TableCell>
      ) : null}
    </TableRow>
  );
}

/** Where an integration sends, as far as anyone may see it (masked secrets stay masked). */
function destination(i: Integration): string {
  if ('url' in i) return i.url;
  if ('to' in i) return i.to.join(', ');
  return i.secretKeys.includes('webhookUrl') ? 'webhook URL set' : '';
}

function IntegrationLine({ integration: i, canTest }: { integration: Integration; canTest: boolean }) {
  const trpc = useTRPC();
  const test = useMutation(trpc.receivers.test.mutationOptions());
  const answer = test.data;
  return (
    <li className="flex flex-wrap items-center gap-2 text-sm" data-testid="integration" data-kind={i.kind}>
      <Badge tone="neutral">{KIND_LABEL[i.kind]}</Badge>
      <span className="truncate font-mono text-xs text-muted-foreground">{destination(i)}</span>
      {canTest ? (
        <Button
          size="sm"
          variant="outline"
          disabled={test.isPending}
          onClick={() => test.mutate({ integrationId: i.id })}
        >
          Send test
        </Button>
      ) : null}
      {answer ? (
        <span role="status" data-testid="test-answer" className="text-xs">
          <Badge tone={answer.class === 'success' ? 'success' : 'danger'}>{answer.class}</Badge>{' '}
          {answer.status ?? 'no answer'}
          {answer.error ? ` · ${answer.error}` : ''} · {answer.durationMs} ms
        </span>
      ) : null}
      {test.error ? (
        <span role="alert" data-testid="test-answer" className="text-xs text-destructive">
          {test.error.message}
        </span>
      ) : null}
    </li>
  );
}

function DeleteButton({ receiver: r }: { receiver: Receiver }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.receivers.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted “${r.name}”.`);
        setOpen(false);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.receivers.list.queryKey() }),
    }),
  );
  return (
    <ConfirmButton
      open={open}
      onOpenChange={setOpen}
      label="Delete"
      variant="destructive"
      title={`Delete “${r.name}”?`}
      description="Its integrations and their stored secrets go with it. A receiver a route sends to cannot be deleted."
      action={remove}
      onConfirm={() => remove.mutate({ id: r.id })}
    />
  );
}
