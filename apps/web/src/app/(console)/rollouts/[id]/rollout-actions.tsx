'use client';

import { ROLLOUT_LIMITS } from '@sextant/trpc/limits';
import { Button, Label, Textarea, toast } from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ActionDialog, DialogActions } from '~/components/action-dialog';
import { ConfirmButton } from '~/components/confirm-button';
import { useHydrated } from '~/lib/local-time';
import { useTRPC } from '~/trpc/react';
import { codedMessage } from '../../releases/board-input';
import type { RolloutDetail } from './rollout-detail-view';

type Action = RolloutDetail['allowedActions'][number];

/**
 * The maintainer's buttons; each is enabled only when the transition table accepts it in the current state
 * (`allowedActions`, computed by the server from the core's table). A refusal shows its code inline.
 */
export function RolloutActions({ rollout }: { rollout: RolloutDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const id = rollout.id;
  const allowed = (a: Action) => hydrated && rollout.allowedActions.includes(a);
  const done = (said: string) => () => {
    toast.success(said);
    return queryClient.invalidateQueries({ queryKey: trpc.rollouts.pathKey() });
  };
  const promote = useMutation(
    trpc.rollouts.promote.mutationOptions({ onSuccess: done('Promoted one step.') }),
  );
  const retry = useMutation(
    trpc.rollouts.retry.mutationOptions({ onSuccess: done('Retrying from step 1.') }),
  );
  const [fullOpen, setFullOpen] = useState(false);
  const promoteFull = useMutation(
    trpc.rollouts.promoteFull.mutationOptions({
      onSuccess: () => {
        setFullOpen(false);
        return done('Promoted fully.')();
      },
    }),
  );
  const [backOpen, setBackOpen] = useState(false);
  const rollback = useMutation(
    trpc.rollouts.rollback.mutationOptions({
      onSuccess: () => {
        setBackOpen(false);
        return done('Rolled back.')();
      },
    }),
  );
  const inline = codedMessage(promote.error ?? retry.error);
  const stable = rollout.stableRelease?.version ?? 'the previous good release';
  return (
    <div className="flex flex-col gap-2" data-testid="rollout-actions">
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          disabled={!allowed('promote') || promote.isPending}
          onClick={() => {
            retry.reset();
            promote.mutate({ id });
          }}
        >
          Promote
        </Button>
        {allowed('promoteFull') ? (
          <ConfirmButton
            label="Promote fully"
            title="Promote fully?"
            description={`Skips the remaining steps and analysis: ${rollout.targetRelease.version} gets all traffic now.`}
            confirmLabel="Promote fully"
            action={{ ...promoteFull, error: codedMessage(promoteFull.error) }}
            onConfirm={() => promoteFull.mutate({ id })}
            open={fullOpen}
            onOpenChange={setFullOpen}
          />
        ) : (
          <Button size="sm" variant="outline" disabled>
            Promote fully
          </Button>
        )}
        <AbortButton id={id} enabled={allowed('abort')} onDone={done('Aborted.')} />
        <Button
          size="sm"
          variant="outline"
          disabled={!allowed('retry') || retry.isPending}
          onClick={() => {
            promote.reset();
            retry.mutate({ id });
          }}
        >
          Retry
        </Button>
        {allowed('rollback') ? (
          <ConfirmButton
            label="Rollback"
            variant="destructive"
            title="Roll back?"
            description={`Moves all traffic from ${rollout.targetRelease.version} back to ${stable}.`}
            confirmLabel="Roll back"
            action={{ ...rollback, error: codedMessage(rollback.error) }}
            onConfirm={() => rollback.mutate({ id })}
            open={backOpen}
            onOpenChange={setBackOpen}
          />
        ) : (
          <Button size="sm" variant="outline" disabled>
            Rollback
          </Button>
        )}
      </div>
      {inline ? (
        <p className="text-sm text-destructive" role="alert" data-testid="rollout-action-error">
          {inline.message}
        </p>
      ) : null}
    </div>
  );
}

/** Abort with an optional reason: weight 0, the stable release takes all traffic back. */
function AbortButton({ id, enabled, onDone }: { id: string; enabled: boolean; onDone: () => unknown }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const abort = useMutation(
    trpc.rollouts.abort.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        setReason('');
        return onDone();
      },
    }),
  );
  return (
    <ActionDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) abort.reset();
      }}
      trigger={
        <Button size="sm" variant="outline" disabled={!enabled}>
          Abort
        </Button>
      }
      title="Abort this rollout?"
      description="Sets the canary's weight to 0: the stable release serves everything. The target stays, so you can retry."
    >
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          abort.mutate({ id, reason: reason.trim() || undefined });
        }}
      >
        <Label htmlFor="abort-reason">Reason (optional)</Label>
        <Textarea
          id="abort-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={ROLLOUT_LIMITS.reasonLength}
        />
        <DialogActions message={codedMessage(abort.error)?.message}>
          <Button type="submit" variant="destructive" disabled={abort.isPending}>
            Abort rollout
          </Button>
        </DialogActions>
      </form>
    </ActionDialog>
  );
}
