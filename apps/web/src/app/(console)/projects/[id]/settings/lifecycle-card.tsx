'use client';

import { Button, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ConfirmButton } from '~/components/confirm-button';
import { SectionCard } from '~/components/section-card';
import { useTRPC } from '~/trpc/react';
import type { Project } from './settings-shared';

/** Archive (off the portfolio and the snapshot job, kept) or, for an admin, delete with everything in it. */
export function LifecycleCard({ project: p, isAdmin }: { project: Project; isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
  const onError = (e: { message: string }) => toast.error(e.message);
  const archive = useMutation(trpc.projects.archive.mutationOptions({ onSuccess: refresh, onError }));
  const unarchive = useMutation(trpc.projects.unarchive.mutationOptions({ onSuccess: refresh, onError }));
  const remove = useMutation(
    trpc.projects.delete.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        toast.success(`Deleted ${p.name}.`);
        void refresh();
        router.push('/projects');
      },
    }),
  );
  return (
    <SectionCard
      title="Archive or delete"
      description="An archived project leaves the portfolio and stops taking daily snapshots; its history stays."
    >
      <div className="flex flex-wrap gap-2">
        {p.archivedAt ? (
          <Button
            variant="outline"
            disabled={unarchive.isPending}
            onClick={() => unarchive.mutate({ id: p.id })}
          >
            Unarchive
          </Button>
        ) : (
          <Button variant="outline" disabled={archive.isPending} onClick={() => archive.mutate({ id: p.id })}>
            Archive
          </Button>
        )}
        {isAdmin ? (
          <ConfirmButton
            label="Delete project"
            variant="destructive"
            title="Delete this project?"
            description={`${p.name}, its milestones, work items, snapshots, updates and share links are deleted.`}
            confirmLabel="Delete"
            action={remove}
            onConfirm={() => remove.mutate({ id: p.id })}
            open={open}
            onOpenChange={setOpen}
          />
        ) : null}
      </div>
    </SectionCard>
  );
}
