/**
 * One delivery, start to end: a claimed outbox row sent through its integration and completed fenced on its lease.
 * The API's delivery loop runs these; `deliverDue` runs one claim's worth at a given clock, for tests and tools.
 */
import type { Queries, Sql } from '@sextant/db';
import { DEFAULT_SEND_TIMEOUT_MS, type DeliveryPolicy, deliveryPolicy } from './delivery-policy';
import type { IntegrationTarget, SendNotification, SendOutcome } from './message';
import { type ClaimedDelivery, type CompletionResult, claimDeliveries, completeDelivery } from './outbox';
import { integrationTargetsById } from './receivers';

/** Integration targets by id, secrets decrypted (receivers.ts' loader in the API). */
export type LoadTargets = (sql: Queries, ids: string[]) => Promise<Map<string, IntegrationTarget>>;

export interface Delivered extends CompletionResult {
  claim: ClaimedDelivery;
  outcome: SendOutcome;
}

/** The outcome of a row whose integration was deleted after the tick: permanent, nothing to send to. */
export const INTEGRATION_GONE: SendOutcome = {
  class: 'permanent',
  status: null,
  retryAfterMs: null,
  error: 'the integration no longer exists',
  durationMs: 0,
};

/** Sends one claimed row and completes it at `clock()` after the answer; never throws for a remote's failure. */
export async function deliverClaim(
  sql: Sql,
  claim: ClaimedDelivery,
  target: IntegrationTarget | undefined,
  send: SendNotification,
  o: { clock: () => number; policy: DeliveryPolicy; instance?: string; signal?: AbortSignal },
): Promise<Delivered> {
  const outcome = target
    ? await send(target, claim.payload, {
        timeoutMs: claim.timeoutMs || DEFAULT_SEND_TIMEOUT_MS,
        signal: o.signal,
      })
    : INTEGRATION_GONE;
  const done = await completeDelivery(sql, claim, outcome, o.clock(), o.policy, o.instance ?? null);
  return { ...done, claim, outcome };
}

/** Claims what is due at `nowMs` and delivers all of it at once (a fake clock stands still while it runs). */
export async function deliverDue(
  sql: Sql,
  nowMs: number,
  send: SendNotification,
  o: { policy?: DeliveryPolicy; owner?: string; limit?: number; loadTargets?: LoadTargets } = {},
): Promise<Delivered[]> {
  const policy = o.policy ?? deliveryPolicy({});
  const owner = o.owner ?? 'deliver-due';
  const claims = await claimDeliveries(sql, owner, o.limit ?? 100, nowMs, policy);
  if (claims.length === 0) return [];
  const targets = await (o.loadTargets ?? integrationTargetsById)(sql, [
    ...new Set(claims.map((c) => c.integrationId)),
  ]);
  return Promise.all(
    claims.map((c) =>
      deliverClaim(sql, c, targets.get(c.integrationId), send, {
        clock: () => nowMs,
        policy,
        instance: owner,
      }),
    ),
  );
}
