/** The rollout effects carried out inside the fenced write's transaction (store.ts): runs, audit, webhooks. */
import type { DbOrTx } from '@sextant/db';
import { audit } from '../audit';
import { endpointOf } from '../notify/integrations';
import { enqueueRolloutNotices } from '../notify/outbox';
import { loadIntegrationTargets, receiverIntegrations } from '../notify/receivers';
import { type RolloutNotice, rolloutNoticeKey } from '../notify/rollout-notice';
import { desiredOf } from './machine';
import { endRun, startRun } from './runs';
import type { Loaded, Who } from './store';
import type { RolloutEffect } from './types';

export async function carryOut(tx: DbOrTx, who: Who, loaded: Loaded, effect: RolloutEffect, now: number) {
  const id = loaded.row.id;
  switch (effect.type) {
    case 'startAnalysis':
      await startRun(
        tx,
        {
          rolloutId: id,
          attempt: effect.attempt,
          stepIndex: effect.stepIndex,
          template: effect.template,
          canaryVersion: loaded.snapshot.targetRelease.version,
          stableVersion: loaded.snapshot.stableRelease?.version ?? null,
        },
        now,
      );
      return;
    case 'stopAnalysis':
      await endRun(tx, id, effect.attempt, effect.stepIndex, 'stopped', now);
      return;
    case 'auditSkippedSteps':
      for (const skipped of effect.steps)
        await audit(tx, who, {
          action: 'rollout.skip_step',
          targetType: 'rollout',
          targetId: id,
          after: { index: skipped.index, step: skipped.step },
        });
      return;
    case 'notifyStateChange':
      await notify(tx, loaded, effect, now);
      return;
    default:
      // publishDesired and schedulePause are columns of the fenced update itself.
      return;
  }
}

/** One outbox row per webhook integration of the rollout's receiver, keyed by the change number. */
async function notify(
  tx: DbOrTx,
  loaded: Loaded,
  e: Extract<RolloutEffect, { type: 'notifyStateChange' }>,
  now: number,
) {
  const { row, snapshot: s } = loaded;
  if (!row.receiverId) return;
  const hooks = (await receiverIntegrations(tx, [row.receiverId])).filter((i) => i.kind === 'webhook');
  const targets = await loadIntegrationTargets(
    tx,
    hooks.map((h) => h.id),
  );
  const at = new Date(now).toISOString();
  await enqueueRolloutNotices(
    tx,
    targets.map((target) => {
      const payload: RolloutNotice = {
        type: 'rollout_notice',
        idempotencyKey: rolloutNoticeKey(row.id, row.changes, target.id),
        rolloutId: row.id,
        service: loaded.service,
        environment: loaded.environment,
        change: row.changes,
        from: e.from,
        to: e.to,
        event: e.event,
        reason: s.reason,
        attempt: s.attempt,
        stepIndex: s.stepIndex,
        desired: desiredOf(s),
        at,
      };
      return {
        receiverId: row.receiverId!,
        integrationId: target.id,
        payload,
        endpoint: endpointOf(target),
        createdAt: now,
      };
    }),
  );
}
