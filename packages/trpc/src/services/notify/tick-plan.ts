/**
 * What one tick decides (spec A6 then A7), pure: per integration of the route's receiver, the batch after
 * suppression, the dedup decision against its log entry, and for a notify the message and its outbox entry; the log
 * writes that follow. flush.ts reads the inputs before its transaction and writes the plan inside it.
 */
import type { IntegrationDecision, IntegrationKind, IntegrationSettings } from '@sextant/db';
import { composeMessage } from './compose';
import {
  batchFor,
  type Decision,
  type LogEntry,
  liveEntry,
  needsUpdate,
  REASONS,
  type TickAlert,
} from './dedup';
import type { ClaimedGroup, GroupMember } from './groups';
import type { OutboxEntry } from './outbox';
import type { ResolvedRoute } from './routing';

export interface TickIntegration {
  id: string;
  kind: IntegrationKind;
  sendResolved: boolean;
  settings: IntegrationSettings;
}

/** A log write: `tickAt` and `sequence` are the tick's for a message, the entry's own for a silent update. */
export interface LogWrite {
  integrationId: string;
  decision: Decision;
  tickAt: number;
  sequence: number;
}

export interface TickInput {
  claim: ClaimedGroup;
  route: ResolvedRoute;
  groupLabels: Record<string, string>;
  members: readonly GroupMember[];
  alerts: readonly TickAlert[];
  anySuppressed: boolean;
  receiver: { id: string; name: string; integrations: readonly TickIntegration[] };
  /** The stored log entry per integration (expired or not). */
  entries: ReadonlyMap<string, LogEntry>;
  /** The last sequence per integration whose entry is gone, from the outbox. */
  lastSequences: ReadonlyMap<string, number>;
  nowMs: number;
  publicUrl: string;
  endpointOf: (integrationId: string, settings: IntegrationSettings) => string;
}

export function planTick(t: TickInput) {
  const tickMs = t.claim.tickAt;
  const byFingerprint = new Map(t.members.map((m) => [m.fingerprint, m]));
  const outbox: OutboxEntry[] = [];
  const logs: LogWrite[] = [];
  const decisions: IntegrationDecision[] = [];
  for (const integration of t.receiver.integrations) {
    const stored = t.entries.get(integration.id) ?? null;
    const entry = liveEntry(stored, tickMs);
    const batch = batchFor(t.alerts, entry);
    // Nothing left after suppression: a silent success before the decision (spec A6).
    const d: Decision =
      batch.firing.length + batch.resolved.length === 0
        ? {
            notify: false,
            reason: t.anySuppressed ? REASONS.muted : REASONS.nothingNew,
            log: 'none',
            firing: [],
            resolved: [],
          }
        : needsUpdate(entry, batch, {
            sendResolved: integration.sendResolved,
            tickMs,
            repeatMs: t.route.repeatIntervalMs,
          });
    const decision: IntegrationDecision = {
      integrationId: integration.id,
      kind: integration.kind,
      notify: d.notify,
      reason: d.reason,
      sequence: null,
      outboxId: null,
    };
    decisions.push(decision);
    if (d.log === 'silent' && entry)
      logs.push({
        integrationId: integration.id,
        decision: d,
        tickAt: entry.tickAt,
        sequence: entry.sequence,
      });
    if (!d.notify) continue;
    const sequence = (stored?.sequence ?? t.lastSequences.get(integration.id) ?? 0) + 1;
    decision.sequence = sequence;
    logs.push({ integrationId: integration.id, decision: d, tickAt: tickMs, sequence });
    const firing = new Set(batch.firing);
    const sent = [...batch.firing, ...(integration.sendResolved ? batch.resolved : [])];
    const payload = composeMessage({
      groupKey: t.claim.groupKey,
      routeId: t.claim.routeId,
      groupLabels: t.groupLabels,
      receiverId: t.receiver.id,
      receiverName: t.receiver.name,
      integrationId: integration.id,
      tickMs,
      sequence,
      reason: d.reason,
      alerts: sent.map((f) => ({ member: byFingerprint.get(f)!, resolved: !firing.has(f) })),
      publicUrl: t.publicUrl,
    });
    outbox.push({
      idempotencyKey: payload.idempotencyKey,
      routeId: t.claim.routeId,
      groupKey: t.claim.groupKey,
      receiverId: t.receiver.id,
      integrationId: integration.id,
      tickAt: tickMs,
      sequence,
      payload,
      endpoint: t.endpointOf(integration.id, integration.settings),
      createdAt: t.nowMs,
    });
  }
  return { outbox, logs, decisions };
}
