'use client';

import { FLAG_TYPES } from '@sextant/flags';
import { FLAG_LIMITS } from '@sextant/trpc/limits';
import { flagCreateInput } from '@sextant/trpc/schemas';
import { Input, Select, Textarea, toast } from '@sextant/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Field, NumberField, Options } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';

/** Comma- or line-separated tags, without empties or repeats. */
export const parseTags = (text: string) => [
  ...new Set(
    text
      .split(/[,\n]/)
      .map((t) => t.trim())
      .filter(Boolean),
  ),
];

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
    const text = readForm(form, ['key', 'type', 'description', 'owner', 'tags', 'staleAfterDays']);
    const input = submit(
      validate(
        flagCreateInput,
        {
          key: text.key.trim(),
          type: text.type as (typeof FLAG_TYPES)[number],
          description: text.description.trim() || null,
          owner: text.owner || null,
          tags: parseTags(text.tags),
          staleAfterDays: Number(text.staleAfterDays),
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
      <Field id="flag-description" label="Description (optional)" error={errors.description}>
        {(p) => <Textarea {...p} name="description" rows={2} maxLength={FLAG_LIMITS.descriptionLength} />}
      </Field>
      <Field id="flag-owner" label="Owner (optional)" error={errors.owner}>
        {(p) => (
          <Select {...p} name="owner" defaultValue="">
            <option value="">No owner</option>
            {(people.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id="flag-tags" label="Tags (optional)" error={errors.tags} hint="Separated by commas.">
        {(p) => <Input {...p} name="tags" autoComplete="off" />}
      </Field>
      <NumberField
        id="flag-stale"
        label="Stale after (days without change or evaluation)"
        error={errors.staleAfterDays}
        name="staleAfterDays"
        range={FLAG_LIMITS.staleAfterDays}
        defaultValue="30"
      />
    </FormDialog>
  );
}
