'use client';

import { toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { useTRPC } from '~/trpc/react';

/** Cancels a window after asking; it stays listed under Past as history. */
export function CancelMaintenanceButton({ id, title }: { id: string; title: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const cancel = useMutation(
    trpc.maintenances.cancel.mutationOptions({
      onSuccess: () => {
        toast.success(`Cancelled ${title}.`);
        setOpen(false);
        return queryClient.invalidateQueries({ queryKey: trpc.maintenances.pathKey() });
      },
    }),
  );
  return (
    <ConfirmButton
      label="Cancel"
      variant="destructive"
      title={`Cancel ${title}?`}
      description="Occurrences still to come will not happen and alerts are no longer muted by it. A running one ends now. This cannot be undone."
      confirmLabel="Cancel window"
      action={cancel}
      onConfirm={() => cancel.mutate({ id })}
      open={open}
      onOpenChange={setOpen}
    />
  );
}
