'use client';

import { Badge, TableCell, TableRow, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { LocalTime } from '~/lib/local-time';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';

type ApiKey = RouterOutputs['apiKeys']['list'][number];

function keyState(k: ApiKey): 'active' | 'expired' | 'revoked' | 'owner disabled' {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && k.expiresAt.getTime() <= Date.now()) return 'expired';
  // No effective role: the API refuses a key whose owner is disabled (a deleted owner's keys are revoked).
  if (k.effectiveRole === null) return 'owner disabled';
  return 'active';
}

const TONE = {
  active: 'success',
  expired: 'warning',
  revoked: 'danger',
  'owner disabled': 'warning',
} as const;

export function ApiKeyRow({ apiKey: k }: { apiKey: ApiKey }) {
  const state = keyState(k);
  return (
    <TableRow data-testid="api-key-row" data-name={k.name} data-state={state}>
      <TableCell>
        <div className="font-medium">{k.name}</div>
        <div className="whitespace-nowrap font-mono text-xs text-muted-foreground">{k.prefix}…</div>
      </TableCell>
      <TableCell>
        <Badge tone="info">{k.effectiveRole ?? k.role}</Badge>
        {/* A key never does more than its owner may today. */}
        {k.effectiveRole && k.effectiveRole !== k.role ? (
          <div className="whitespace-nowrap text-xs text-muted-foreground" data-testid="api-key-capped">
            created as {k.role}, capped by its owner’s role
          </div>
        ) : null}
      </TableCell>
      <TableCell className="text-sm">
        <LocalTime value={k.createdAt} />
        {/* No email once the creator's account is deleted (the key is then revoked). */}
        <div className="text-xs text-muted-foreground">by {k.createdByEmail ?? '—'}</div>
      </TableCell>
      <TableCell className="text-sm">
        <LocalTime value={k.lastUsedAt} fallback="never" />
      </TableCell>
      <TableCell className="text-sm">
        <LocalTime value={k.expiresAt} fallback="never" />
      </TableCell>
      <TableCell>
        <Badge tone={TONE[state]}>{state}</Badge>
      </TableCell>
      <TableCell className="text-right">{k.revokedAt ? null : <RevokeButton apiKey={k} />}</TableCell>
    </TableRow>
  );
}

function RevokeButton({ apiKey: k }: { apiKey: ApiKey }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: () => {
        toast.success(`Revoked “${k.name}”.`);
        setOpen(false);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() }),
    }),
  );
  return (
    <ConfirmButton
      open={open}
      onOpenChange={setOpen}
      label="Revoke"
      title={`Revoke “${k.name}”?`}
      description="Requests using this key fail from now on. This cannot be undone."
      action={revoke}
      onConfirm={() => revoke.mutate({ id: k.id })}
    />
  );
}
