'use client';

import { flagUpdateInput } from '@sextant/trpc/schemas';
import { toast } from '@sextant/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { FormDialog } from '~/components/form-dialog';
import { inputField, validate } from '~/lib/field-errors';
import type { RouterOutputs } from '~/lib/router-types';
import { useFormDialog } from '~/lib/use-form-errors';
import { useTRPC } from '~/trpc/react';
import { FlagMetadataFields, readFlagMetadata } from '../metadata-fields';

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
    const input = submit(
      validate(
        flagUpdateInput,
        {
          key: flag.key,
          ...readFlagMetadata(form),
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
      <FlagMetadataFields idPrefix="meta" errors={errors} people={people.data} initial={flag} />
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
