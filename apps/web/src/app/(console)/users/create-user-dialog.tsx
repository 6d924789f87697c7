'use client';

import { ROLES } from '@sextant/db/roles';
import { userInput } from '@sextant/trpc/schemas';
import {
  Button,
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogTitle,
  DialogTrigger,
  FieldError,
  Input,
  Label,
  SecretValue,
  Select,
  toast,
} from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { inputField, validate } from '~/lib/field-errors';
import type { RouterInputs } from '~/lib/router-types';
import { useFormErrors } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

type Role = RouterInputs['users']['create']['role'];

export function CreateUserDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: ({ user }) => {
        toast.success(`Created ${user.email}.`);
        return queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
    }),
  );
  const { errors, message, accept, clear } = useFormErrors(create.error);

  function onOpenChange(next: boolean) {
    setOpen(next);
    // Forget the temporary password as soon as the dialog closes: it is shown once.
    if (!next) {
      create.reset();
      clear();
    }
  }

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const password = String(form.get('password') ?? '');
    create.reset(); // only the current attempt's problems should show
    const input = accept(
      validate(
        userInput,
        {
          email: String(form.get('email') ?? '').trim(),
          name: name || undefined,
          role: String(form.get('role')) as Role,
          password: password || undefined,
        },
        inputField,
      ),
    );
    if (input) create.mutate(input);
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>Create user</Button>
      </DialogTrigger>
      <DialogContent>
        {create.data ? (
          <>
            <DialogTitle>User created</DialogTitle>
            {/* The API returns a password only when it generated one; one you chose is never sent back. */}
            {create.data.temporaryPassword ? (
              <>
                <DialogDescription>
                  Give {create.data.user.email} this temporary password. It is shown only once; they must
                  change it at first sign-in.
                </DialogDescription>
                <SecretValue value={create.data.temporaryPassword} data-testid="temporary-password" />
              </>
            ) : (
              <DialogDescription>
                {create.data.user.email} signs in with the password you chose and must change it at first
                sign-in.
              </DialogDescription>
            )}
            <div className="flex justify-end">
              <DialogClose asChild>
                <Button>Done</Button>
              </DialogClose>
            </div>
          </>
        ) : (
          <>
            <DialogTitle>Create user</DialogTitle>
            <DialogDescription>
              Leave the password empty to generate a temporary one. Either way the user must change it at
              first sign-in.
            </DialogDescription>
            <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="new-user-email">Email</Label>
                <Input
                  id="new-user-email"
                  name="email"
                  type="email"
                  autoComplete="off"
                  required
                  aria-invalid={!!errors.email}
                  aria-describedby={errors.email ? 'new-user-email-error' : undefined}
                />
                {errors.email ? <FieldError id="new-user-email-error">{errors.email}</FieldError> : null}
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="new-user-name">Name (optional)</Label>
                <Input id="new-user-name" name="name" autoComplete="off" aria-invalid={!!errors.name} />
                {errors.name ? <FieldError>{errors.name}</FieldError> : null}
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="new-user-role">Role</Label>
                <Select id="new-user-role" name="role" defaultValue="viewer" aria-invalid={!!errors.role}>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </Select>
                {errors.role ? <FieldError>{errors.role}</FieldError> : null}
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="new-user-password">Password (optional)</Label>
                <Input
                  id="new-user-password"
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  aria-invalid={!!errors.password}
                  aria-describedby={errors.password ? 'new-user-password-error' : undefined}
                />
                {errors.password ? (
                  <FieldError id="new-user-password-error">{errors.password}</FieldError>
                ) : null}
              </div>
              {message ? <FieldError>{message}</FieldError> : null}
              <div className="flex justify-end gap-2">
                <DialogClose asChild>
                  <Button type="button" variant="outline">
                    Cancel
                  </Button>
                </DialogClose>
                <Button type="submit" disabled={create.isPending}>
                  {create.isPending ? 'Creating…' : 'Create user'}
                </Button>
              </div>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
