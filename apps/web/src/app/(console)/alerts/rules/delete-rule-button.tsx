'use client';

import { toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { useTRPC } from '~/trpc/react';

export function DeleteRuleButton({ id, name }: { id: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.alertRules.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted “${name}”.`);
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: trpc.alertRules.list.queryKey() });
        router.push('/alerts/rules');
      },
    }),
  );
  return (
    <ConfirmButton
      open={open}
      onOpenChange={setOpen}
      label="Delete"
      variant="destructive"
      title={`Delete “${name}”?`}
      description="Its alerts and their history go with it. This cannot be undone."
      action={remove}
      onConfirm={() => remove.mutate({ id })}
    />
  );
}
