/**
 * One delivery, start to end: a claimed outbox row sent through its integration and completed fenced on its lease.
 * The API's delivery loop runs these; `deliverDue` runs one claim's worth at a given clock, for tests and tools.
 */
import type { Sql } from '@sextant/db';
import { DEFAULT_PUBLIC_URL } from './compose';
import { DEFAULT_SEND_TIMEOUT_MS, type DeliveryPolicy, deliveryPolicy } from './delivery-policy';
import type { SendNotification, SendOutcome } from './message';
import { type LoadTargets, type Resolved, resolveClaims } from './notice-targets';
import { type ClaimedDelivery, type CompletionResult, claimDeliveries, completeDelivery } from './outbox';
import { integrationTargetsById } from './receivers';

export { INTEGRATION_GONE, type LoadTargets, type Resolved, resolveClaims } from './notice-targets';

export interface Delivered extends CompletionResult {
  claim: ClaimedDelivery;
  outcome: SendOutcome;
}

/** Sends one claimed row as resolved (or not, when skipped) and completes it at `clock()` after the answer. */
export async function deliverClaim(
  sql: Sql,
  claim: ClaimedDelivery,
  resolved: Resolved,
  send: SendNotification,
  o: { clock: () => number; policy: DeliveryPolicy; instance?: string; signal?: AbortSignal },
): Promise<Delivered> {
  const outcome =
    'skip' in resolved
      ? resolved.skip
      : await send(resolved.target, resolved.message, {
          timeoutMs: claim.timeoutMs || DEFAULT_SEND_TIMEOUT_MS,
          signal: o.signal,
        });
  const done = await completeDelivery(sql, claim, outcome, o.clock(), o.policy, o.instance ?? null);
  return { ...done, claim, outcome };
}

/** Claims what is due at `nowMs` and delivers all of it at once (a fake clock stands still while it runs). */
export async function deliverDue(
  sql: Sql,
  nowMs: number,
  send: SendNotification,
  o: {
    policy?: DeliveryPolicy;
    owner?: string;
    limit?: number;
    loadTargets?: LoadTargets;
    publicUrl?: string;
  } = {},
): Promise<Delivered[]> {
  const policy = o.policy ?? deliveryPolicy({});
  const owner = o.owner ?? 'deliver-due';
  const claims = await claimDeliveries(sql, owner, o.limit ?? 100, nowMs, policy);
  if (claims.length === 0) return [];
  const resolved = await resolveClaims(sql, claims, {
    loadTargets: o.loadTargets ?? integrationTargetsById,
    publicUrl: o.publicUrl ?? DEFAULT_PUBLIC_URL,
  });
  return Promise.all(
    claims.map((c) =>
      deliverClaim(sql, c, resolved.get(c.id)!, send, { clock: () => nowMs, policy, instance: owner }),
    ),
  );
}
