/**
 * Alerts posted to `POST /api/v2/alerts` (spec A3), pure and on an explicit clock: Alertmanager's defaulting on
 * receive (api/v2/api.go postAlertsHandler), its validation (types.Alert.Validate), and its store's merge of an
 * alert with the stored one of the same fingerprint (provider/mem Put, types.Alert.Merge). Times are epoch ms.
 */
import { z } from 'zod';
import { unstorableText } from '../../input-guard';
import { LABEL_NAME, METRIC_LIMITS } from '../../schemas/metrics';
import { dateProblem } from '../../schemas/time-range';
import { fingerprint, withoutEmpty } from './fingerprint';

export const EXTERNAL_ALERT_LIMITS = {
  /** Prometheus sends at most 256 per request (its notifier's maxBatchSize); Grafana less. */
  alertsPerRequest: 1_000,
  labelsPerAlert: 64,
  annotationsPerAlert: 64,
  nameLength: METRIC_LIMITS.labelNameLength,
  labelValueLength: METRIC_LIMITS.labelValueLength,
  /** Descriptions and runbooks are prose, longer than label values. */
  annotationValueLength: 16_384,
  generatorUrlLength: 2_048,
} as const;

/** Alertmanager's global resolve_timeout default (ALERTS_RESOLVE_TIMEOUT_SECONDS overrides it). */
export const DEFAULT_RESOLVE_TIMEOUT_MS = 5 * 60_000;

/** Go's zero time.Time, which Go senders write for an unset startsAt/endsAt: Alertmanager reads it as unset. */
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

/** An alert as stored for its fingerprint (spec A3). */
export interface ExternalAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  endsAt: number;
  /** endsAt is now + resolve_timeout, not the sender's: any explicit endsAt beats it in a merge. */
  endsAtFromTimeout: boolean;
  generatorUrl: string | null;
  /** When this copy was received: the merge takes annotations from the most recently updated copy. */
  updatedAt: number;
}

const storable = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((v, ctx) => {
      const problem = unstorableText(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** A label or annotation set, names by the Prometheus label grammar; AM drops empty-valued labels, not annotations. */
const nameValues = (what: 'Label' | 'Annotation', count: number, valueLength: number) =>
  z
    .record(z.string(), storable(valueLength))
    .transform((set) => (what === 'Label' ? withoutEmpty(set) : set))
    .superRefine((set, ctx) => {
      const names = Object.keys(set);
      if (names.length > count)
        ctx.addIssue({ code: 'custom', message: `At most ${count} ${what.toLowerCase()}s per alert.` });
      for (const name of names.slice(0, count + 1)) {
        if (name.length > EXTERNAL_ALERT_LIMITS.nameLength || !LABEL_NAME.test(name))
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `${what} names use letters, digits and _, do not start with a digit, and are at most ${EXTERNAL_ALERT_LIMITS.nameLength} characters.`,
          });
      }
    });

/** startsAt/endsAt: RFC 3339; Go's zero time and an absent field are both "unset". */
const time = z
  .union([z.iso.datetime({ offset: true }), z.null()])
  .optional()
  .transform((v) => (v == null ? null : Date.parse(v)))
  .transform((ms) => (ms === GO_ZERO_TIME_MS ? null : ms))
  .superRefine((ms, ctx) => {
    const problem = ms === null ? null : dateProblem(ms);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Alertmanager v2's postableAlert. */
export const postableAlertSchema = z.object({
  labels: nameValues(
    'Label',
    EXTERNAL_ALERT_LIMITS.labelsPerAlert,
    EXTERNAL_ALERT_LIMITS.labelValueLength,
  ).refine(
    (labels) => Object.keys(labels).length > 0,
    'At least one label with a non-empty value is required.',
  ),
  annotations: nameValues(
    'Annotation',
    EXTERNAL_ALERT_LIMITS.annotationsPerAlert,
    EXTERNAL_ALERT_LIMITS.annotationValueLength,
  ).default({}),
  startsAt: time,
  endsAt: time,
  generatorURL: storable(EXTERNAL_ALERT_LIMITS.generatorUrlLength).optional(),
});

export const postableAlertsSchema = z
  .array(postableAlertSchema)
  .max(
    EXTERNAL_ALERT_LIMITS.alertsPerRequest,
    `At most ${EXTERNAL_ALERT_LIMITS.alertsPerRequest} alerts per request.`,
  );

export type PostableAlert = z.output<typeof postableAlertSchema>;

export interface ReceiveProblem {
  path: string;
  message: string;
}

/** A request refused whole: the problems by path (`3.labels`, `0.endsAt`), the first 20 of them. */
export class ExternalAlertsRefused extends Error {
  constructor(readonly problems: ReceiveProblem[]) {
    super(
      `The alerts were rejected (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was stored.`,
    );
  }
}

/**
 * Spec A3.1: startsAt defaults to now, or to endsAt when only endsAt is given; a missing endsAt becomes
 * now + resolve_timeout, flagged as timeout-derived.
 */
export function receiveAlert(a: PostableAlert, now: number, resolveTimeoutMs: number): ExternalAlert {
  const startsAt = a.startsAt ?? a.endsAt ?? now;
  return {
    fingerprint: fingerprint(a.labels),
    labels: a.labels,
    annotations: a.annotations,
    startsAt,
    endsAt: a.endsAt ?? now + resolveTimeoutMs,
    endsAtFromTimeout: a.endsAt === null,
    generatorUrl: a.generatorURL || null,
    updatedAt: now,
  };
}

/**
 * Validates a whole request body and applies the defaults (spec A3.1-2); throws ExternalAlertsRefused with every
 * problem, so one bad alert refuses the batch (our rule: AM stores the valid ones and still answers 400).
 */
export function receiveAlerts(body: unknown, now: number, resolveTimeoutMs: number): ExternalAlert[] {
  const parsed = postableAlertsSchema.safeParse(body);
  const problems: ReceiveProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const alerts = parsed.success ? parsed.data.map((a) => receiveAlert(a, now, resolveTimeoutMs)) : [];
  alerts.forEach((a, i) => {
    // Checked after defaulting, as AM's Validate: a lone past endsAt is fine (startsAt becomes it).
    if (a.endsAt < a.startsAt)
      problems.push({ path: `${i}.endsAt`, message: 'endsAt must not be before startsAt.' });
  });
  if (problems.length > 0) throw new ExternalAlertsRefused(problems.slice(0, 20));
  return alerts;
}

/** Spec A3.1: resolved at `t` iff endsAt <= t. */
export const isResolved = (a: Pick<ExternalAlert, 'endsAt'>, t: number): boolean => a.endsAt <= t;

/**
 * AM's overlap test (provider/mem Put): the incoming alert starts or ends strictly inside the stored one's range.
 * Identical or enclosing ranges count as replacement, which yields the same alert as a merge would.
 */
export function overlaps(stored: ExternalAlert, incoming: ExternalAlert): boolean {
  const inside = (t: number) => t > stored.startsAt && t < stored.endsAt;
  return inside(incoming.endsAt) || inside(incoming.startsAt);
}

/**
 * types.Alert.Merge at `now`: the younger copy (later updatedAt) is the base, the earliest startsAt wins; if the
 * younger is resolved, the older's later endsAt wins only when it is resolved too; if not, the older's later endsAt
 * wins only when explicit. Our rule: an endsAt taken from an explicit copy is explicit (AM keeps the base's flag).
 */
export function mergeAlerts(a: ExternalAlert, b: ExternalAlert, now: number): ExternalAlert {
  const [older, younger] = b.updatedAt < a.updatedAt ? [b, a] : [a, b];
  const merged = { ...younger, startsAt: Math.min(older.startsAt, younger.startsAt) };
  const olderEndsLater = older.endsAt > younger.endsAt;
  const takeOlderEnd = isResolved(younger, now)
    ? isResolved(older, now) && olderEndsLater
    : olderEndsLater && !older.endsAtFromTimeout;
  return takeOlderEnd
    ? { ...merged, endsAt: older.endsAt, endsAtFromTimeout: older.endsAtFromTimeout }
    : merged;
}

/** Spec A3.3: what the store holds after `incoming` arrives; `merged` is false for a replacement (a new occurrence). */
export function putAlert(
  stored: ExternalAlert | null,
  incoming: ExternalAlert,
  now: number,
): { alert: ExternalAlert; merged: boolean } {
  if (stored && overlaps(stored, incoming))
    return { alert: mergeAlerts(stored, incoming, now), merged: true };
  return { alert: incoming, merged: false };
}

/** What alert_instances.state says of an external alert; `inactive` stands for "no row" in the history. */
export type ExternalState = 'firing' | 'resolved';

/** A history row of an external alert (alert_transitions, rule_id null). */
export interface ExternalTransition {
  fingerprint: string;
  labels: Record<string, string>;
  from: ExternalState | 'inactive';
  to: ExternalState;
  /** `Received`: a post changed the state; `EndsAtPassed`: endsAt went by without one (resolve_timeout). */
  reason: 'Received' | 'EndsAtPassed';
  /** The alert's own time: startsAt when it starts firing, endsAt when it resolves. */
  at: number;
}

/** The state of a stored alert at `t` (spec A3.1), whatever its row last recorded. */
export const stateAt = (a: Pick<ExternalAlert, 'endsAt'>, t: number): ExternalState =>
  isResolved(a, t) ? 'resolved' : 'firing';

/** The resolution a row recorded as firing owes once its endsAt has passed, or null. */
export function lapsed(
  stored: { alert: ExternalAlert; recorded: ExternalState },
  now: number,
): ExternalTransition | null {
  if (stored.recorded !== 'firing' || !isResolved(stored.alert, now)) return null;
  const { fingerprint: fp, labels, endsAt } = stored.alert;
  return { fingerprint: fp, labels, from: 'firing', to: 'resolved', reason: 'EndsAtPassed', at: endsAt };
}

/**
 * One received alert against the stored one of its fingerprint: the alert to store and the history it makes, i.e.
 * a lapsed resolution first, then a start, resolve or re-fire (a non-overlapping firing copy of a resolved alert).
 */
export function receiveInto(
  stored: { alert: ExternalAlert; recorded: ExternalState } | null,
  incoming: ExternalAlert,
  now: number,
): { alert: ExternalAlert; merged: boolean; transitions: ExternalTransition[] } {
  const owed = stored ? lapsed(stored, now) : null;
  const transitions = owed ? [owed] : [];
  const from = owed ? 'resolved' : (stored?.recorded ?? 'inactive');
  const { alert, merged } = putAlert(stored?.alert ?? null, incoming, now);
  const to = stateAt(alert, now);
  if (to !== from)
    transitions.push({
      fingerprint: alert.fingerprint,
      labels: alert.labels,
      from,
      to,
      reason: 'Received',
      at: to === 'firing' ? alert.startsAt : alert.endsAt,
    });
  return { alert, merged, transitions };
}
