'use client';

import { flagConfigSchema } from '@sextant/flags';
import {
  Button,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogTitle,
  FieldError,
  Input,
  Label,
  toast,
} from '@sextant/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { DialogActions } from '~/components/action-dialog';
import { SectionCard } from '~/components/section-card';
import { changedGroupIds, configIssues, type Draft, fromDraft, toDraft } from '~/lib/flags';
import type { RouterOutputs } from '~/lib/router-types';
import { useTRPC } from '~/trpc/react';
import { CanEdit } from './edit-button';
import { Preview } from './preview';
import { StrategiesEditor } from './strategy-editor';
import { VariantsEditor } from './variants-editor';

type Flag = RouterOutputs['flags']['get'];
type Env = Flag['environments'][number];
export type Issue = { path: string; message: string };
/** The first message at exactly this path (`strategies.0.percentage`). */
export type IssueAt = (path: string) => string | undefined;

/**
 * One environment's configuration as a draft: enabled, strategies, variants, the live preview; Save sends it with
 * the version it started from. Remounted (keyed by version) after every save, so it restarts from what is stored.
 */
export function EnvironmentEditor({ flag, env, canWrite }: { flag: Flag; env: Env; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => toDraft(env));
  const [clientIssues, setClientIssues] = useState<Issue[]>([]);
  const [confirming, setConfirming] = useState(false);
  const save = useMutation(
    trpc.flags.setEnvironment.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`Saved ${r.environment} (version ${r.version}).`);
        setConfirming(false);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.flags.get.queryKey({ key: flag.key }) }),
          queryClient.invalidateQueries({ queryKey: trpc.flags.list.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.flags.changes.pathKey() }),
        ]);
      },
      onError: (e) => {
        if (e.data?.appCode === 'FLAG_GROUP_ID_CHANGE_UNCONFIRMED') setConfirming(true);
      },
    }),
  );
  const config = useMemo(() => ({ key: flag.key, type: flag.type, ...fromDraft(draft) }), [flag, draft]);
  const issues = [...clientIssues, ...configIssues(save.error)];
  const issueAt: IssueAt = (path) => issues.find((i) => i.path === path)?.message;
  const groupIds = changedGroupIds(flag.key, env.strategies, draft);
  const edit = (next: Draft) => {
    setDraft(next);
    if (clientIssues.length) setClientIssues([]);
  };

  function send(confirmGroupIdChange: boolean) {
    save.mutate({
      key: flag.key,
      environment: env.environment,
      ...fromDraft(draft),
      expectedVersion: env.version,
      confirmGroupIdChange,
    });
  }
  function onSave() {
    save.reset();
    // The server's own rules, first here, so every mistake shows at its field before a round trip.
    const checked = flagConfigSchema.safeParse(config);
    const found = checked.error?.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) ?? [];
    setClientIssues(found);
    if (found.length) return;
    if (groupIds.length) setConfirming(true);
    else send(false);
  }

  const otherError = save.error && configIssues(save.error).length === 0 ? save.error.message : null;
  return (
    <div
      className="grid gap-4 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]"
      data-testid="env-editor"
      data-env={env.environment}
    >
      <SectionCard
        title={`${env.environment}${env.isProduction ? ' (production)' : ''}`}
        description={`Version ${env.version}. Strategies: any one on = on (OR); within one, every constraint must hold (AND). None = on for everyone.`}
      >
        <CanEdit.Provider value={canWrite}>
          <fieldset disabled={!canWrite} className="flex flex-col gap-5">
            <label className="flex items-center gap-2 text-sm font-medium">
              <input
                type="checkbox"
                checked={draft.enabled}
                onChange={(e) => edit({ ...draft, enabled: e.target.checked })}
              />
              Enabled in {env.environment}
            </label>
            <StrategiesEditor flagKey={flag.key} draft={draft} onChange={edit} issueAt={issueAt} />
            <VariantsEditor type={flag.type} draft={draft} onChange={edit} issueAt={issueAt} />
            <div className="flex max-w-xs flex-col gap-1.5">
              <Label htmlFor="variant-stickiness">Variant stickiness</Label>
              <Input
                id="variant-stickiness"
                value={draft.variantStickiness}
                maxLength={200}
                onChange={(e) => edit({ ...draft, variantStickiness: e.target.value })}
              />
              {issueAt('variantStickiness') ? <FieldError>{issueAt('variantStickiness')}</FieldError> : null}
            </div>
          </fieldset>
        </CanEdit.Provider>
        {canWrite ? (
          <div className="mt-5 flex flex-col gap-2 border-t pt-4">
            {issues.length ? (
              <ul className="text-sm text-destructive" data-testid="config-issues">
                {issues.map((i) => (
                  <li key={`${i.path}:${i.message}`}>
                    {i.path ? `${i.path}: ` : ''}
                    {i.message}
                  </li>
                ))}
              </ul>
            ) : null}
            {otherError && !confirming ? <FieldError>{otherError}</FieldError> : null}
            <div className="flex gap-2">
              <Button onClick={onSave} disabled={save.isPending}>
                {save.isPending ? 'Saving…' : `Save ${env.environment}`}
              </Button>
              <Button variant="outline" onClick={() => edit(toDraft(env))} disabled={save.isPending}>
                Discard changes
              </Button>
            </div>
          </div>
        ) : null}
        <Dialog open={confirming} onOpenChange={setConfirming}>
          <DialogContent>
            <DialogTitle>Change the rollout group?</DialogTitle>
            <DialogDescription>
              A new group id reshuffles every user: who had the flag may lose it and others get it, at the
              same percentage.
            </DialogDescription>
            <DialogActions message={otherError}>
              <Button variant="destructive" disabled={save.isPending} onClick={() => send(true)}>
                Reshuffle and save
              </Button>
            </DialogActions>
          </DialogContent>
        </Dialog>
      </SectionCard>
      <Preview flagKey={flag.key} type={flag.type} config={config} />
    </div>
  );
}
