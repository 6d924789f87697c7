'use client';

import { toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { useTRPC } from '~/trpc/react';

/** A dead letter's "Retry now" (maintainers): pending again with a new max-age window; the lists re-read. */
export function RetryButton({ id, receiver }: { id: string; receiver: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const retry = useMutation(
    trpc.notifications.retry.mutationOptions({
      onSuccess: () => {
        toast.success(`Retrying the message to “${receiver}”.`);
        setOpen(false);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() }),
    }),
  );
  return (
    <ConfirmButton
      open={open}
      onOpenChange={setOpen}
      label="Retry now"
      title={`Retry the message to “${receiver}”?`}
      description="It is sent again as it was decided (same idempotency key), unless a newer message of its group was decided since."
      action={retry}
      onConfirm={() => retry.mutate({ id })}
    />
  );
}
