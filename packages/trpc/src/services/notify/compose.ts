/**
 * The message a tick decided (spec A8 webhook v4, template.go's Data), pure: the group's alerts sorted as
 * Alertmanager sorts them, common labels and annotations, endsAt at Go's zero time while firing, and our fields.
 */
import type { GroupMember } from './groups';
import { idempotencyKeyOf, type MessageAlert, type NotificationMessage } from './message';

/** Go's zero time.Time, which AM writes as the endsAt of a firing alert. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A time as Alertmanager writes it (Go's RFC 3339 with trailing fraction zeros dropped): 12:00:00.18Z, not .180Z. */
export const goTime = (d: Date) => d.toISOString().replace(/\.?0+Z$/, 'Z');

/** Where links back to the console point when SEXTANT_PUBLIC_URL is not set. */
export const DEFAULT_PUBLIC_URL = 'http://localhost:3000';

type Labels = Record<string, string>;

/** Prometheus' Labels.Before: sorted name/value pairs compared in order, a prefix first. */
function labelsBefore(a: Labels, b: Labels): number {
  const pa = Object.keys(a).sort();
  const pb = Object.keys(b).sort();
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const [na, nb] = [pa[i]!, pb[i]!];
    if (na !== nb) return na < nb ? -1 : 1;
    if (a[na] !== b[nb]) return a[na]! < b[nb]! ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** AM's AlertSlice order: by job, then instance (an alert lacking one goes after those having it), then labels. */
export function compareAlerts(a: Labels, b: Labels): number {
  for (const key of ['job', 'instance']) {
    const [ia, ib] = [Object.hasOwn(a, key), Object.hasOwn(b, key)];
    if (!ia && !ib) continue;
    if (!ia) return 1;
    if (!ib) return -1;
    if (a[key] !== b[key]) return a[key]! < b[key]! ? -1 : 1;
  }
  return labelsBefore(a, b);
}

/** The pairs every set shares with the same value (template.go's CommonLabels / CommonAnnotations). */
export function common(sets: readonly Record<string, unknown>[]): Record<string, string> {
  if (sets.length === 0) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sets[0]!))
    if (typeof v === 'string' && sets.every((s) => s[k] === v)) out[k] = v;
  return out;
}

export interface ComposeInput {
  groupKey: string;
  routeId: string;
  groupLabels: Labels;
  receiverId: string;
  receiverName: string;
  integrationId: string;
  tickMs: number;
  sequence: number;
  reason: string;
  /** The members to include, each with whether it is resolved at the tick. */
  alerts: readonly { member: GroupMember; resolved: boolean }[];
  publicUrl: string;
}

const messageAlert = (
  { member: m, resolved }: ComposeInput['alerts'][number],
  base: string,
): MessageAlert => ({
  status: resolved ? 'resolved' : 'firing',
  labels: m.labels,
  annotations: m.annotations,
  startsAt: goTime(m.startsAt),
  endsAt: resolved && m.endsAt ? goTime(m.endsAt) : ZERO_TIME,
  generatorURL:
    m.generatorUrl ??
    (m.ruleId ? `${base}/alerts/${m.fingerprint}?rule=${encodeURIComponent(m.ruleId)}` : ''),
  fingerprint: m.fingerprint,
  value: m.value,
});

export function composeMessage(c: ComposeInput): NotificationMessage {
  const base = c.publicUrl.replace(/\/+$/, '');
  const alerts = [...c.alerts]
    .sort((a, b) => compareAlerts(a.member.labels, b.member.labels))
    .map((a) => messageAlert(a, base));
  return {
    version: '4',
    groupKey: c.groupKey,
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: c.receiverName,
    groupLabels: c.groupLabels,
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL: base,
    notification_reason: c.reason,
    alerts,
    idempotencyKey: idempotencyKeyOf(c.routeId, c.groupKey, c.receiverId, c.integrationId, c.tickMs),
    tickTime: new Date(c.tickMs).toISOString(),
    sequence: c.sequence,
    consoleURL: `${base}/notifications?route=${encodeURIComponent(c.routeId)}&group=${encodeURIComponent(c.groupKey)}`,
  };
}
