'use client';

import { FLAG_LIMITS } from '@sextant/trpc/limits';
import { flagUpdateInput } from '@sextant/trpc/schemas';
import { Input, Select, Textarea, toast } from '@sextant/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { Field, NumberField } from '~/components/field';
import { FormDialog } from '~/components/form-dialog';
import { inputField, validate } from '~/lib/field-errors';
import { readForm } from '~/lib/form-data';
import type { RouterOutputs } from '~/lib/router-types';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import { parseTags } from '../new-flag-dialog';

type Flag = RouterOutputs['flags']['get'];

function useRefresh(key: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.flags.get.queryKey({ key }) }),
      queryClient.invalidateQueries({ queryKey: trpc.flags.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.flags.staleReport.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.flags.changes.pathKey() }),
    ]);
}

/** Description, owner, tags and the stale limit; key and type never change. */
export function MetadataDialog({ flag }: { flag: Flag }) {
  const trpc = useTRPC();
  const refresh = useRefresh(flag.key);
  const [open, setOpen] = useState(false);
  const people = useQuery({ ...trpc.users.directory.queryOptions(), enabled: open });
  const update = useMutation(
    trpc.flags.update.mutationOptions({
      onSuccess: async () => {
        toast.success('Saved.');
        setOpen(false);
        await refresh();
      },
    }),
  );
  const { errors, dialog, submit } = useFormDialog(update, [open, setOpen]);
  function onSubmit(form: HTMLFormElement) {
    const text = readForm(form, ['description', 'owner', 'tags', 'staleAfterDays']);
    const input = submit(
      validate(
        flagUpdateInput,
        {
          key: flag.key,
          description: text.description.trim() || null,
          owner: text.owner || null,
          tags: parseTags(text.tags),
          staleAfterDays: Number(text.staleAfterDays),
        },
        inputField,
      ),
    );
    if (input) update.mutate(input);
  }
  return (
    <FormDialog
      {...dialog}
      editing
      createLabel="Edit"
      title="Edit flag"
      description="Key and type never change: the key is also the default rollout group."
      onSubmit={onSubmit}
      submitLabel={update.isPending ? 'Saving…' : 'Save'}
    >
      <Field id="meta-description" label="Description" error={errors.description}>
        {(p) => (
          <Textarea
            {...p}
            name="description"
            rows={2}
            maxLength={FLAG_LIMITS.descriptionLength}
            defaultValue={flag.description ?? ''}
          />
        )}
      </Field>
      <Field id="meta-owner" label="Owner" error={errors.owner}>
        {(p) => (
          <Select {...p} name="owner" defaultValue={flag.owner ?? ''}>
            <option value="">No owner</option>
            {flag.owner && !people.data?.some((u) => u.id === flag.owner) ? (
              <option value={flag.owner}>current owner</option>
            ) : null}
            {(people.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field id="meta-tags" label="Tags" error={errors.tags} hint="Separated by commas.">
        {(p) => <Input {...p} name="tags" autoComplete="off" defaultValue={flag.tags.join(', ')} />}
      </Field>
      <NumberField
        id="meta-stale"
        label="Stale after (days)"
        error={errors.staleAfterDays}
        name="staleAfterDays"
        range={FLAG_LIMITS.staleAfterDays}
        defaultValue={String(flag.staleAfterDays)}
      />
    </FormDialog>
  );
}

/** Archive (clients answer their defaults from then on), unarchive, and delete once archived. */
export function LifecycleActions({ flag }: { flag: Flag }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const refresh = useRefresh(flag.key);
  const [open, setOpen] = useState<'archive' | 'unarchive' | 'delete' | null>(null);
  const done = (said: string) => async () => {
    toast.success(said);
    setOpen(null);
    await refresh();
  };
  const archive = useMutation(trpc.flags.archive.mutationOptions({ onSuccess: done('Archived.') }));
  const unarchive = useMutation(trpc.flags.unarchive.mutationOptions({ onSuccess: done('Unarchived.') }));
  const remove = useMutation(
    trpc.flags.delete.mutationOptions({
      onSuccess: async () => {
        toast.success(`Deleted ${flag.key}.`);
        setOpen(null);
        queryClient.removeQueries({ queryKey: trpc.flags.get.queryKey({ key: flag.key }) });
        await queryClient.invalidateQueries({ queryKey: trpc.flags.list.pathKey() });
        router.push('/flags');
      },
    }),
  );
  const openProps = (which: 'archive' | 'unarchive' | 'delete') => ({
    open: open === which,
    onOpenChange: (next: boolean) => setOpen(next ? which : null),
  });
  if (flag.archivedAt === null) {
    return (
      <ConfirmButton
        label="Archive"
        title="Archive this flag?"
        description="It leaves every environment's snapshot: clients answer their code defaults. It can be unarchived."
        action={archive}
        onConfirm={() => archive.mutate({ key: flag.key })}
        {...openProps('archive')}
      />
    );
  }
  return (
    <div className="flex gap-2">
      <ConfirmButton
        label="Unarchive"
        title="Unarchive this flag?"
        description="It comes back into the snapshots with the configuration it had."
        action={unarchive}
        onConfirm={() => unarchive.mutate({ key: flag.key })}
        {...openProps('unarchive')}
      />
      <ConfirmButton
        label="Delete"
        variant="destructive"
        title="Delete this flag?"
        description="Its configuration and history go for good; the audit log keeps the record."
        action={remove}
        onConfirm={() => remove.mutate({ key: flag.key })}
        {...openProps('delete')}
      />
    </div>
  );
}
