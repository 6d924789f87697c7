'use client';

import { ROLES } from '@sextant/db/roles';
import { userInput } from '@sextant/trpc/schemas';
import { Input, SecretValue, Select, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SecretShownOnce } from '~/components/action-dialog';
import { Field, Options } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import type { RouterInputs } from '~/lib/router-types';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

type Role = RouterInputs['users']['create']['role'];

/** Create a user; a generated temporary password is shown once, and closing the dialog forgets it. */
export function CreateUserDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const open = useState(false);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: ({ user }) => {
        toast.success(`Created ${user.email}.`);
        return queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
    }),
  );
  const { errors, dialog, submit } = useFormDialog(create, open);

  function onSubmit(form: HTMLFormElement) {
    const text = readForm(form, ['email', 'name', 'role', 'password']);
    const input = submit(
      validate(
        userInput,
        {
          email: text.email.trim(),
          name: text.name.trim() || undefined,
          role: text.role as Role,
          password: text.password || undefined,
        },
        inputField,
      ),
    );
    if (input) create.mutate(input);
  }

  const created = create.data;
  return (
    <FormDialog
      {...dialog}
      createLabel="Create user"
      title="Create user"
      description="Leave the password empty to generate a temporary one. Either way the user must change it at first sign-in."
      result={
        created ? (
          // The API returns a password only when it generated one; one you chose is never sent back.
          <SecretShownOnce
            title="User created"
            description={
              created.temporaryPassword
                ? `Give ${created.user.email} this temporary password. It is shown only once; they must change it at first sign-in.`
                : `${created.user.email} signs in with the password you chose and must change it at first sign-in.`
            }
          >
            {created.temporaryPassword ? (
              <SecretValue value={created.temporaryPassword} data-testid="temporary-password" />
            ) : null}
          </SecretShownOnce>
        ) : null
      }
      onSubmit={onSubmit}
      submitLabel={create.isPending ? 'Creating…' : 'Create user'}
    >
      <Field id="new-user-email" label="Email" error={errors.email}>
        {(p) => <Input {...p} name="email" type="email" autoComplete="off" required />}
      </Field>
      <Field id="new-user-name" label="Name (optional)" error={errors.name}>
        {(p) => <Input {...p} name="name" autoComplete="off" />}
      </Field>
      <Field id="new-user-role" label="Role" error={errors.role}>
        {(p) => (
          <Select {...p} name="role" defaultValue="viewer">
            <Options values={ROLES} />
          </Select>
        )}
      </Field>
      <Field id="new-user-password" label="Password (optional)" error={errors.password}>
        {(p) => <Input {...p} name="password" type="password" autoComplete="new-password" />}
      </Field>
    </FormDialog>
  );
}
