'use client';

import {
  Button,
  ConfirmDialog,
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogTitle,
  DialogTrigger,
  FieldError,
  SecretValue,
  toast,
} from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '~/trpc/react';
import type { UserListItem } from './user-row';

/** Confirm, then show the new temporary password once in the same dialog. */
export function ResetPasswordButton({ user }: { user: UserListItem }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() }),
    }),
  );

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) reset.reset();
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm" variant="outline">
          Reset password
        </Button>
      </DialogTrigger>
      <DialogContent>
        {reset.data ? (
          <>
            <DialogTitle>New temporary password</DialogTitle>
            <DialogDescription>
              Give {user.email} this password. It is shown only once; they must change it at first sign-in.
            </DialogDescription>
            <SecretValue value={reset.data.temporaryPassword} data-testid="temporary-password" />
            <div className="flex justify-end">
              <DialogClose asChild>
                <Button>Done</Button>
              </DialogClose>
            </div>
          </>
        ) : (
          <>
            <DialogTitle>Reset password for {user.email}?</DialogTitle>
            <DialogDescription>
              Their current password stops working and all their sessions end. You get a temporary password to
              pass on.
            </DialogDescription>
            {reset.error ? <FieldError>{reset.error.message}</FieldError> : null}
            <div className="flex justify-end gap-2">
              <DialogClose asChild>
                <Button variant="outline">Cancel</Button>
              </DialogClose>
              <Button
                variant="destructive"
                disabled={reset.isPending}
                onClick={() => reset.mutate({ id: user.id })}
              >
                Reset password
              </Button>
            </div>
          </>
        )}
      </DialogContent>
    </Dialog>
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
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) remove.reset();
      }}
      trigger={
        <Button size="sm" variant="destructive">
          Delete
        </Button>
      }
      title={`Delete ${user.email}?`}
      description="The account and its sessions are removed for good. Audit entries keep their record of it."
      confirmLabel="Delete"
      pending={remove.isPending}
      onConfirm={() => remove.mutate({ id: user.id })}
    >
      {remove.error ? <FieldError>{remove.error.message}</FieldError> : null}
    </ConfirmDialog>
  );
}
