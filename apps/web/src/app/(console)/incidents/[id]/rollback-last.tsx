'use client';

import { Button, toast } from '@sextant/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ActionDialog, DialogActions } from '~/components/action-dialog';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import { codedMessage } from '../../releases/board-input';

/**
 * Issue 16 point 3, "one click to roll it back": through the rollout of that service × environment when there
 * is one (`rollouts.rollback`), otherwise `deployments.rollback` queues the previous succeeded release there.
 * The dialog names both versions before anything happens.
 */
export function RollbackLast({ deploymentId }: { deploymentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const plan = useQuery({ ...trpc.deployments.rollbackTarget.queryOptions({ deploymentId }), enabled: open });
  const onSuccess = () => {
    toast.success('Rollback started.');
    setOpen(false);
    return Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.incidents.get.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.deployments.rollbackTarget.pathKey() }),
    ]);
  };
  const viaRollout = useMutation(trpc.rollouts.rollback.mutationOptions({ onSuccess }));
  const viaDeployment = useMutation(trpc.deployments.rollback.mutationOptions({ onSuccess }));
  const p = plan.data;
  const pending = viaRollout.isPending || viaDeployment.isPending;
  const error = codedMessage(viaRollout.error ?? viaDeployment.error ?? plan.error);
  return (
    <ActionDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          viaRollout.reset();
          viaDeployment.reset();
        }
      }}
      trigger={
        <Button size="sm" variant="destructive" disabled={!hydrated} data-testid="incident-rollback">
          Roll back
        </Button>
      }
      title="Roll back this deployment?"
      description={
        !p
          ? 'Looking up the release to go back to…'
          : p.toVersion
            ? `Rolls ${p.service} in ${p.environment} back from ${p.fromVersion} to ${p.toVersion}${p.rolloutId ? ' through its rollout' : ''}.`
            : `No release before ${p.fromVersion} succeeded in ${p.environment}: there is nothing to roll back to.`
      }
    >
      <DialogActions message={error?.message}>
        <Button
          variant="destructive"
          disabled={!p?.toVersion || pending}
          onClick={() =>
            p?.rolloutId ? viaRollout.mutate({ id: p.rolloutId }) : viaDeployment.mutate({ deploymentId })
          }
        >
          Roll back to {p?.toVersion ?? '…'}
        </Button>
      </DialogActions>
    </ActionDialog>
  );
}
