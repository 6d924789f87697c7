'use client';

import { DELIVERY_LIMITS } from '@sextant/trpc/limits';
import { Button, Label, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ActionDialog, DialogActions } from '~/components/action-dialog';
import { ConfirmButton } from '~/components/confirm-button';
import { useTRPC } from '~/trpc/react';
import { codedMessage } from './board-input';

/** After any board action: reread the board, close the dialog. */
function useDone(close: () => void, said: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    toast.success(said);
    close();
    return queryClient.invalidateQueries({ queryKey: trpc.releases.board.pathKey() });
  };
}

/** "Promote to FAT": a queued deployment of this cell's release in the next environment, after asking. */
export function PromoteButton({
  releaseId,
  version,
  target,
}: {
  releaseId: string;
  version: string;
  target: string;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const promote = useMutation(
    trpc.deployments.promote.mutationOptions({
      onSuccess: useDone(() => setOpen(false), `${version} queued for ${target}.`),
    }),
  );
  return (
    <ConfirmButton
      label={`Promote to ${target}`}
      title={`Promote to ${target}?`}
      description={`Queues ${version} in ${target}. It needs a success in the environment before; ${target} may also need an approval.`}
      confirmLabel="Promote"
      action={{ ...promote, error: codedMessage(promote.error) }}
      onConfirm={() => promote.mutate({ releaseId, environment: target })}
      open={open}
      onOpenChange={setOpen}
    />
  );
}

/** Approves a deployment waiting for it; the API refuses whoever released or promoted it. */
export function ApproveButton({
  id,
  version,
  environment,
}: {
  id: string;
  version: string;
  environment: string;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const approve = useMutation(
    trpc.deployments.approve.mutationOptions({
      onSuccess: useDone(() => setOpen(false), `${version} approved.`),
    }),
  );
  return (
    <ConfirmButton
      label="Approve"
      title={`Approve ${environment} deployment?`}
      description={`Lets ${version} go on in ${environment}. Someone other than whoever released or promoted it must approve.`}
      confirmLabel="Approve"
      action={{ ...approve, error: codedMessage(approve.error) }}
      onConfirm={() => approve.mutate({ id })}
      open={open}
      onOpenChange={setOpen}
    />
  );
}

/** Admins only: queues the first environment's release here out of order; the reason is kept and audited. */
export function OverrideButton({
  releaseId,
  version,
  target,
}: {
  releaseId: string;
  version: string;
  target: string;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const promote = useMutation(
    trpc.deployments.promote.mutationOptions({
      onSuccess: useDone(() => setOpen(false), `${version} queued for ${target} (override).`),
    }),
  );
  const error = codedMessage(promote.error);
  return (
    <ActionDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) promote.reset();
      }}
      trigger={
        <Button size="sm" variant="outline">
          Override…
        </Button>
      }
      title={`Override: promote to ${target}`}
      description={`Queues ${version} in ${target} without the previous environment's success. Say why; it is kept on the deployment and in the audit log.`}
    >
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          promote.mutate({ releaseId, environment: target, override: { reason } });
        }}
      >
        <Label htmlFor="override-reason">Reason</Label>
        <Textarea
          id="override-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={DELIVERY_LIMITS.overrideReasonLength}
          required
        />
        <DialogActions message={error?.message}>
          <Button type="submit" disabled={promote.isPending || !reason.trim()}>
            Override and promote
          </Button>
        </DialogActions>
      </form>
    </ActionDialog>
  );
}
