'use client';

import { Badge, Button, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { MatcherChips } from '~/components/matcher-chips';
import { silenceAnchor } from '~/lib/alerts';
import { LocalTime } from '~/lib/local-time';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';

type Silence = RouterOutputs['silences']['list'][number];

export const SILENCE_TONE = { active: 'success', pending: 'info', expired: 'neutral' } as const;

export function SilenceRow({ silence: s, canEdit }: { silence: Silence; canEdit: boolean }) {
  return (
    <TableRow id={silenceAnchor(s.id)} data-testid="silence-row" data-id={s.id} data-state={s.state}>
      <TableCell>
        <MatcherChips matchers={s.matchers} />
      </TableCell>
      <TableCell>
        <Badge tone={SILENCE_TONE[s.state]}>{s.state}</Badge>
      </TableCell>
      <TableCell className="text-sm">
        <LocalTime value={s.startsAt} />
      </TableCell>
      <TableCell className="text-sm">
        <LocalTime value={s.endsAt} />
      </TableCell>
      <TableCell className="max-w-xs text-sm">
        <div className="text-xs text-muted-foreground">{s.createdBy}</div>
        <div className="truncate" title={s.comment}>
          {s.comment}
        </div>
        {s.replacesId ? (
          <div className="text-xs text-muted-foreground">replaces an earlier silence</div>
        ) : null}
      </TableCell>
      {canEdit ? (
        <TableCell className="text-right">
          {s.state === 'expired' ? null : (
            <div className="flex justify-end gap-2">
              <Button asChild variant="outline" size="sm">
                <Link href={`/silences/${s.id}/edit`}>Edit</Link>
              </Button>
              <ExpireButton silence={s} />
            </div>
          )}
        </TableCell>
      ) : null}
    </TableRow>
  );
}

function ExpireButton({ silence: s }: { silence: Silence }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const expire = useMutation(
    trpc.silences.expire.mutationOptions({
      onSuccess: () => {
        toast.success('Silence expired.');
        setOpen(false);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.silences.pathKey() }),
    }),
  );
  return (
    <ConfirmButton
      open={open}
      onOpenChange={setOpen}
      label="Expire"
      title="Expire this silence?"
      description="The alerts it mutes notify again from now on. It stays listed under Expired."
      action={expire}
      onConfirm={() => expire.mutate({ id: s.id })}
    />
  );
}
