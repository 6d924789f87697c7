'use client';

import { type Role, roleAtLeast } from '@sextant/db/roles';
import { Badge, Button, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { ConsolePage } from '~/components/page-header';
import { TableCard } from '~/components/table-card';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';

type Row = RouterOutputs['statusPages']['list'][number];

export function StatusPagesView({ role }: { role: Role }) {
  const trpc = useTRPC();
  const pages = useSuspenseQuery(trpc.statusPages.list.queryOptions());
  // Pages decide what the internet sees: admin work; everyone else reads the list.
  const canEdit = roleAtLeast(role, 'admin');
  return (
    <ConsolePage
      title="Status pages"
      description="Public or signed-in-only pages showing chosen services' state, incidents, maintenance and uptime."
      action={
        canEdit ? (
          <Button asChild>
            <Link href="/status-pages/new">New status page</Link>
          </Button>
        ) : null
      }
      refreshed={[pages]}
    >
      <TableCard
        columns={[
          { label: 'Title' },
          { label: 'Address' },
          { label: 'Visibility' },
          { label: 'Components', right: true },
        ]}
        rowActions={canEdit}
        rows={pages.data.length}
        empty="No status pages yet."
        testId="status-pages"
      >
        {pages.data.map((p) => (
          <StatusPageRow key={p.id} page={p} canEdit={canEdit} />
        ))}
      </TableCard>
    </ConsolePage>
  );
}

function StatusPageRow({ page: p, canEdit }: { page: Row; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.statusPages.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted ${p.title}.`);
        setOpen(false);
        return queryClient.invalidateQueries({ queryKey: trpc.statusPages.list.pathKey() });
      },
    }),
  );
  return (
    <TableRow data-testid="status-page-row" data-slug={p.slug}>
      <TableCell className="font-medium">
        {canEdit ? (
          <Link href={`/status-pages/${p.id}`} className="hover:underline">
            {p.title}
          </Link>
        ) : (
          p.title
        )}
      </TableCell>
      <TableCell className="text-sm">
        <Link href={`/status/${p.slug}`} className="font-mono hover:underline" data-testid="status-page-link">
          /status/{p.slug}
        </Link>
      </TableCell>
      <TableCell>
        <Badge tone={p.visibility === 'public' ? 'info' : 'neutral'} data-testid="status-page-visibility">
          {p.visibility}
        </Badge>
      </TableCell>
      <TableCell className="text-right text-sm tabular-nums">{p.components}</TableCell>
      {canEdit ? (
        <TableCell className="text-right">
          <div className="flex justify-end gap-2">
            <Button asChild size="sm" variant="outline">
              <Link href={`/status-pages/${p.id}`}>Edit</Link>
            </Button>
            <ConfirmButton
              label="Delete"
              variant="destructive"
              title={`Delete ${p.title}?`}
              description={`/status/${p.slug} stops existing for everyone. This cannot be undone.`}
              action={remove}
              onConfirm={() => remove.mutate({ id: p.id })}
              open={open}
              onOpenChange={setOpen}
            />
          </div>
        </TableCell>
      ) : null}
    </TableRow>
  );
}
