'use client';

import { FLAG_TYPES } from '@sextant/flags';
import { flagCreateInput } from '@sextant/trpc/schemas';
import { Input, Select, toast } from '@sextant/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Field, Options } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import { FlagMetadataFields, readFlagMetadata } from './metadata-fields';

/** A new flag (maintainers and admins), off in every environment; checked with the API's own schema. */
export function NewFlagDialog() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const people = useQuery({ ...trpc.users.directory.queryOptions(), enabled: open });
  const create = useMutation(
    trpc.flags.create.mutationOptions({
      onSuccess: async (flag) => {
        toast.success(`Created ${flag.key}, off everywhere.`);
        setOpen(false);
        await queryClient.invalidateQueries({ queryKey: trpc.flags.list.pathKey() });
        router.push(`/flags/${encodeURIComponent(flag.key)}`);
      },
    }),
  );
  const { errors, dialog, submit } = useFormDialog(create, [open, setOpen]);

  function onSubmit(form: HTMLFormElement) {
    const text = readForm(form, ['key', 'type']);
    const input = submit(
      validate(
        flagCreateInput,
        {
          key: text.key.trim(),
          type: text.type as (typeof FLAG_TYPES)[number],
          ...readFlagMetadata(form),
          serviceIds: [],
        },
        inputField,
      ),
    );
    if (input) create.mutate(input);
  }

  return (
    <FormDialog
      {...dialog}
      createLabel="New flag"
      title="New flag"
      description="It starts off in every environment; strategies and variants are set per environment on its page. Key and type never change."
      onSubmit={onSubmit}
      submitLabel={create.isPending ? 'Creating…' : 'Create flag'}
    >
      <Field id="flag-key" label="Key" error={errors.key} hint='Letters, digits, ".", "_" and "-".'>
        {(p) => (
          <Input {...p} name="key" autoComplete="off" maxLength={200} placeholder="checkout.new-flow" />
        )}
      </Field>
      <Field id="flag-type" label="Type" error={errors.type}>
        {(p) => (
          <Select {...p} name="type" defaultValue="boolean">
            <Options values={FLAG_TYPES} />
          </Select>
        )}
      </Field>
      <FlagMetadataFields idPrefix="flag" errors={errors} people={people.data} />
    </FormDialog>
  );
}
