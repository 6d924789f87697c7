'use client';

import { SecretValue, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SecretShownOnce } from '~/components/action-dialog';
import { ConfirmButton } from '~/components/confirm-button';
import { useTRPC } from '~/trpc/react';
import type { UserListItem } from './user-row';

/** Confirm, then show the new temporary password once in the same dialog. */
export function ResetPasswordButton({ user }: { user: UserListItem }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() }),
    }),
  );
  return (
    <ConfirmButton
      label="Reset password"
      title={`Reset password for ${user.email}?`}
      description="Their current password stops working and all their sessions end. You get a temporary password to pass on."
      action={reset}
      onConfirm={() => reset.mutate({ id: user.id })}
      result={
        reset.data ? (
          <SecretShownOnce
            title="New temporary password"
            description={`Give ${user.email} this password. It is shown only once; they must change it at first sign-in.`}
          >
            <SecretValue value={reset.data.temporaryPassword} data-testid="temporary-password" />
          </SecretShownOnce>
        ) : null
      }
    />
  );
}

export function DeleteUserButton({ user }: { user: UserListItem }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.users.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted ${user.email}.`);
        setOpen(false);
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() }),
    }),
  );
  return (
    <ConfirmButton
      open={open}
      onOpenChange={setOpen}
      label="Delete"
      variant="destructive"
      title={`Delete ${user.email}?`}
      description="The account and its sessions are removed for good. Audit entries keep their record of it."
      action={remove}
      onConfirm={() => remove.mutate({ id: user.id })}
    />
  );
}
