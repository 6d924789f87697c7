/**
 * The one writer of `alert_instances` and `alert_transitions`: the engine persists a rule's evaluation here (its
 * instances and their transitions, in the caller's transaction), and the Alertmanager-compatible ingest
 * (`POST /api/v2/alerts`, spec A3) stores external alerts here.
 */
import { type AlertAnnotations, type Queries, type Sql, writeAudit } from '@sextant/db';
import { actorOf, type Context } from '../../context';
import { type AlertCopy, membershipCtes, planMemberships, writeMemberships } from '../notify/groups';
import {
  type ExternalAlert,
  type ExternalState,
  type ExternalTransition,
  receiveInto,
  stateAt,
} from './external';
import { type AlertInstance, alertWindow, type Evaluation, RESEND_DELAY_MS } from './rule-state';

// --- Rule alerts: the engine's writes (spec A2, R8). ---

/** A persisted rule instance with what decides whether its row must be rewritten (instanceWrites). */
export interface StoredInstance extends AlertInstance {
  annotations: AlertAnnotations;
  /** The notifier's "valid until" last written (epoch ms), null while pending. */
  endsAt: number | null;
  /** The evaluation time of the last write (epoch ms). */
  updatedAt: number;
}

const epochMs = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/**
 * A rule's persisted instances as one jsonb array, for a statement that reads them with its rule (one round trip);
 * `ruleId` is the SQL expression of the rule's id. parseInstances reads the array back.
 */
export const ruleInstancesJson = (sql: Queries, ruleId: ReturnType<Queries['unsafe']>) => sql`
  coalesce((select jsonb_agg(jsonb_build_object('fingerprint', fingerprint, 'labels', labels, 'state', state,
    'reason', reason, 'activeAt', ${sql.unsafe(epochMs('active_at'))}, 'firedAt', ${sql.unsafe(epochMs('fired_at'))},
    'resolvedAt', ${sql.unsafe(epochMs('resolved_at'))}, 'keepFiringSince', ${sql.unsafe(epochMs('keep_firing_since'))},
    'value', value, 'missedEvals', missed_evals, 'annotations', annotations, 'endsAt', ${sql.unsafe(epochMs('ends_at'))},
    'updatedAt', ${sql.unsafe(epochMs('updated_at'))}))
  from alert_instances where rule_id = ${ruleId} and source = 'rule'), '[]'::jsonb)`;

/** The array ruleInstancesJson built, as it arrives (text or parsed, depending on the pool's jsonb parser). */
export const parseInstances = (json: string | StoredInstance[]): StoredInstance[] =>
  typeof json === 'string' ? (JSON.parse(json) as StoredInstance[]) : json;

/** A persisted rule's instances as rule-state reads them. */
export async function loadRuleInstances(sql: Queries, ruleId: string): Promise<StoredInstance[]> {
  const [row] = await sql<{ instances: string | StoredInstance[] }[]>`
    select ${ruleInstancesJson(sql, sql`${ruleId}::uuid`)} as instances`;
  return parseInstances(row!.instances);
}

/** What persisting one evaluation needs of its rule. */
export interface PersistedRule {
  id: string;
  intervalSeconds: number;
  annotate: (labels: Record<string, string>, value: number | null) => AlertAnnotations;
}

const sameRecord = (a: Record<string, string>, b: Record<string, string>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

/** Every field the state machine keeps, so an unchanged instance is told apart from a moved one. */
const sameState = (a: AlertInstance, b: AlertInstance) =>
  a.state === b.state &&
  a.reason === b.reason &&
  a.activeAt === b.activeAt &&
  a.firedAt === b.firedAt &&
  a.resolvedAt === b.resolvedAt &&
  a.keepFiringSince === b.keepFiringSince &&
  a.missedEvals === b.missedEvals;

/**
 * The instances whose row must be written at `nowMs`, with their rendered annotations. A row is rewritten when its
 * state changed (any state-machine field), when the rule's annotations changed (rendered with the stored value),
 * or once per resend delay while active, as Prometheus re-sends (spec A2.7): that refreshes endsAt, which then stays
 * at least 4 x max(interval, resend delay) - resend delay - interval ahead (3 minutes at a 15 s interval), and the
 * stored value, so the Alerts page's value is at most one resend delay plus one interval old.
 */
export function instanceWrites(
  rule: PersistedRule,
  prior: readonly StoredInstance[],
  evaluation: Evaluation,
  nowMs: number,
) {
  const stored = new Map(prior.map((i) => [i.fingerprint, i]));
  const validityMs = 4 * Math.max(rule.intervalSeconds * 1000, RESEND_DELAY_MS);
  return evaluation.instances.flatMap((i) => {
    const was = stored.get(i.fingerprint);
    const due =
      !was ||
      !sameState(was, i) ||
      (i.state !== 'resolved' &&
        (nowMs - was.updatedAt >= RESEND_DELAY_MS ||
          (was.endsAt !== null && was.endsAt - nowMs < validityMs - RESEND_DELAY_MS))) ||
      !sameRecord(was.annotations, rule.annotate(was.labels, was.value));
    if (!due) return [];
    return [{ instance: i, annotations: rule.annotate(i.labels, i.value) }];
  });
}

/** States whose alerts join notification groups (spec A5): firing, and recovering (keep_firing_for) which still fires. */
const JOINING = new Set(['firing', 'recovering']);

/**
 * The copies the notification groups keep of written rule instances: firing ones join, resolved ones carry their
 * resolve, and one that stopped firing otherwise (nodata, error) counts as resolved at the write. Pending: none.
 */
function ruleCopies(
  rows: readonly {
    fingerprint: string;
    labels: Record<string, string>;
    annotations: AlertAnnotations;
    state: string;
    value: number | null;
    starts_at: string | null;
    ends_at: string | null;
  }[],
  nowMs: number,
): AlertCopy[] {
  return rows
    .filter((r) => r.state !== 'pending' && r.starts_at !== null)
    .map((r) => ({
      fingerprint: r.fingerprint,
      alertId: null,
      labels: r.labels,
      annotations: r.annotations,
      startsAt: Date.parse(r.starts_at!),
      endsAt: JOINING.has(r.state) || r.state === 'resolved' ? Date.parse(r.ends_at!) : nowMs,
      value: r.value,
      generatorUrl: null,
      joins: JOINING.has(r.state),
    }));
}

/**
 * One statement that completes the claimed slot (`fence`: schedule.ts' compare-and-set, returning a row only when
 * the claim still holds it) and, only then, writes the evaluation: the instances instanceWrites picked are upserted
 * with the notifier's startsAt/endsAt (alertWindow), those of `prior` evaluateRule dropped are deleted, every
 * transition is appended to the history, and the notification groups' copies are written (groups.ts
 * membershipCtes: firing instances join their groups). One statement is one transaction and one round trip; returns whether the
 * fence held (when it did not, nothing was written).
 */
export async function persistEvaluation(
  sql: Queries,
  fence: ReturnType<Queries['unsafe']>,
  rule: PersistedRule,
  prior: readonly StoredInstance[],
  evaluation: Evaluation,
  nowMs: number,
): Promise<boolean> {
  const d = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const now = new Date(nowMs);
  const rows = instanceWrites(rule, prior, evaluation, nowMs).map(({ instance: i, annotations }) => {
    const window = alertWindow(i, nowMs, rule.intervalSeconds * 1000);
    return {
      fingerprint: i.fingerprint,
      labels: i.labels,
      annotations,
      state: i.state,
      reason: i.reason,
      value: i.value,
      active_at: d(i.activeAt),
      fired_at: d(i.firedAt),
      resolved_at: d(i.resolvedAt),
      keep_firing_since: d(i.keepFiringSince),
      missed_evals: i.missedEvals,
      starts_at: d(window?.startsAt ?? null),
      ends_at: d(window?.endsAt ?? null),
    };
  });
  const kept = new Set(evaluation.instances.map((i) => i.fingerprint));
  const dropped = prior.filter((i) => !kept.has(i.fingerprint)).map((i) => i.fingerprint);
  const history = evaluation.transitions.map((t) => ({
    fingerprint: t.fingerprint,
    labels: t.labels,
    from_state: t.from,
    to_state: t.to,
    reason: t.reason,
    value: t.value,
    at: d(t.at),
  }));
  const held = sql`exists (select from slot)`;
  const deletes =
    dropped.length === 0
      ? sql``
      : sql`, gone as (
      delete from alert_instances where rule_id = ${rule.id} and source = 'rule'
        and fingerprint = any(${dropped}::char(16)[]) and ${held})`;
  const upserts =
    rows.length === 0
      ? sql``
      : sql`, kept as (
      insert into alert_instances (source, rule_id, fingerprint, labels, annotations, state, reason, value, active_at,
        fired_at, resolved_at, keep_firing_since, missed_evals, last_eval_at, starts_at, ends_at, updated_at)
      select 'rule', ${rule.id}, r.fingerprint, r.labels, r.annotations, r.state, r.reason, r.value, r.active_at,
        r.fired_at, r.resolved_at, r.keep_firing_since, r.missed_evals, ${now}, r.starts_at, r.ends_at, ${now}
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(fingerprint text, labels jsonb, annotations jsonb,
        state alert_state, reason text, value float8, active_at timestamptz, fired_at timestamptz,
        resolved_at timestamptz, keep_firing_since timestamptz, missed_evals int, starts_at timestamptz,
        ends_at timestamptz)
      where ${held}
      on conflict (rule_id, fingerprint) where rule_id is not null do update set labels = excluded.labels,
        annotations = excluded.annotations, state = excluded.state, reason = excluded.reason, value = excluded.value,
        active_at = excluded.active_at, fired_at = excluded.fired_at, resolved_at = excluded.resolved_at,
        keep_firing_since = excluded.keep_firing_since, missed_evals = excluded.missed_evals,
        last_eval_at = excluded.last_eval_at, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
        updated_at = excluded.updated_at
      returning id, fingerprint)`;
  const appends =
    history.length === 0
      ? sql``
      : sql`, moved as (
      insert into alert_transitions (rule_id, fingerprint, labels, from_state, to_state, reason, value, at)
      select ${rule.id}, h.fingerprint, h.labels, h.from_state, h.to_state, h.reason, h.value, h.at
      from jsonb_to_recordset(${JSON.stringify(history)}::jsonb) as h(fingerprint text, labels jsonb, from_state text,
        to_state text, reason text, value float8, at timestamptz)
      where ${held})`;
  const plan = await planMemberships(sql, ruleCopies(rows, nowMs), nowMs);
  const members = membershipCtes(sql, plan, { held, nowMs, ruleId: rule.id, alertIds: sql`kept` });
  const [row] = await sql<{ held: boolean }[]>`
    with slot as (${fence}) ${deletes} ${upserts} ${appends} ${members}
    select ${held} as held`;
  return row!.held;
}

/** Pending and firing rule alerts for Sextant's own ALERTS series, at most `limit` (firing first). */
export function activeRuleAlerts(sql: Sql, limit: number) {
  return sql<{ labels: Record<string, string>; state: 'pending' | 'firing' }[]>`
    select labels, state from alert_instances
    where source = 'rule' and state in ('pending', 'firing')
    order by state desc, id limit ${limit}`;
}

/** Drops history older than `beforeMs` (the retention job). */
export async function pruneAlertTransitions(sql: Sql, beforeMs: number): Promise<number> {
  const done = await sql`delete from alert_transitions where at < ${new Date(beforeMs)}`;
  return done.count;
}

// --- External alerts: /api/v2/alerts (spec A3). ---

/** A stored external alert as the API lists it, with its state at the listing's `now`. */
export interface ExternalAlertRow extends ExternalAlert {
  id: string;
  state: ExternalState;
}

interface ExternalDbRow {
  id: string;
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: ExternalState;
  starts_at: Date;
  ends_at: Date;
  ends_at_from_timeout: boolean;
  generator_url: string | null;
  updated_at: Date;
}

const EXTERNAL_COLUMNS =
  'id, fingerprint, labels, annotations, state, starts_at, ends_at, ends_at_from_timeout, generator_url, updated_at';

const fromDb = (r: ExternalDbRow): ExternalAlert => ({
  fingerprint: r.fingerprint,
  labels: r.labels,
  annotations: r.annotations,
  startsAt: r.starts_at.getTime(),
  endsAt: r.ends_at.getTime(),
  endsAtFromTimeout: r.ends_at_from_timeout,
  generatorUrl: r.generator_url,
  updatedAt: r.updated_at.getTime(),
});

/** History rows of external alerts (rule_id null), in one statement. */
function insertExternalTransitions(tx: Queries, transitions: readonly ExternalTransition[]) {
  if (transitions.length === 0) return Promise.resolve();
  const rows = transitions.map((t) => ({ ...t, at: new Date(t.at).toISOString() }));
  return tx`
    insert into alert_transitions (rule_id, fingerprint, labels, from_state, to_state, reason, at)
    select null, r.fingerprint, r.labels, r."from", r."to", r.reason, r.at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as r(fingerprint char(16), labels jsonb, "from" text, "to" text, reason text, at timestamptz)`;
}

export interface ReceivedSummary {
  received: number;
  firing: number;
  resolved: number;
  /** Alerts that started firing (first time, or again after a resolve) with this request. */
  started: number;
}

/**
 * Stores a validated batch of posted alerts (spec A3) in one transaction: each fingerprint locked (an advisory lock,
 * so two posts of a new alert serialise too, then its row FOR UPDATE), merged with the stored alert, written with
 * its history and one audit row. `now` is the receiving clock; the same fingerprint twice merges in order.
 */
export function receiveExternalAlerts(
  sql: Sql,
  ctx: Pick<Context, 'identity' | 'requestId' | 'ip'>,
  alerts: readonly ExternalAlert[],
  now: number,
): Promise<ReceivedSummary> {
  const fingerprints = [...new Set(alerts.map((a) => a.fingerprint))].sort();
  return sql.begin(async (tx) => {
    // Sorted, so two batches sharing fingerprints always lock them in the same order (no deadlock).
    await tx`select pg_advisory_xact_lock(hashtextextended('alert_instances/external/' || fp, 0))
             from unnest(${fingerprints}::text[]) with ordinality as f(fp, n) order by n`;
    const rows = await tx.unsafe<ExternalDbRow[]>(
      `select ${EXTERNAL_COLUMNS} from alert_instances
       where source = 'external' and fingerprint = any($1::text[]) for update`,
      [fingerprints],
    );
    const stored = new Map(rows.map((r) => [r.fingerprint, { alert: fromDb(r), recorded: r.state }]));
    const transitions: ExternalTransition[] = [];
    for (const incoming of alerts) {
      const next = receiveInto(stored.get(incoming.fingerprint) ?? null, incoming, now);
      transitions.push(...next.transitions);
      stored.set(incoming.fingerprint, { alert: next.alert, recorded: stateAt(next.alert, now) });
    }
    const written = [...stored.values()].map(({ alert, recorded }) => ({
      ...alert,
      state: recorded,
      startsAt: new Date(alert.startsAt).toISOString(),
      endsAt: new Date(alert.endsAt).toISOString(),
      updatedAt: new Date(alert.updatedAt).toISOString(),
    }));
    // activeAt/firedAt mirror startsAt so the console reads rule and external alerts alike.
    const ids = await tx<{ id: string; fingerprint: string }[]>`
      insert into alert_instances (source, fingerprint, labels, annotations, state, reason, active_at, fired_at,
        resolved_at, starts_at, ends_at, ends_at_from_timeout, generator_url, created_at, updated_at)
      select 'external', r.fingerprint, r.labels, r.annotations, r.state::alert_state, 'Received', r."startsAt",
        r."startsAt", case when r.state = 'resolved' then r."endsAt" end, r."startsAt", r."endsAt",
        r."endsAtFromTimeout", r."generatorUrl", r."updatedAt", r."updatedAt"
      from jsonb_to_recordset(${JSON.stringify(written)}::jsonb) as r(fingerprint char(16), labels jsonb,
        annotations jsonb, state text, "startsAt" timestamptz, "endsAt" timestamptz, "endsAtFromTimeout" boolean,
        "generatorUrl" text, "updatedAt" timestamptz)
      on conflict (fingerprint) where source = 'external' do update set
        labels = excluded.labels, annotations = excluded.annotations, state = excluded.state,
        reason = excluded.reason, active_at = excluded.active_at, fired_at = excluded.fired_at,
        resolved_at = excluded.resolved_at, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
        ends_at_from_timeout = excluded.ends_at_from_timeout, generator_url = excluded.generator_url,
        updated_at = excluded.updated_at
      returning id, fingerprint`;
    const idOf = new Map(ids.map((r) => [r.fingerprint, r.id]));
    const copies = [...stored.values()].map(({ alert, recorded }) => ({
      ...alert,
      alertId: idOf.get(alert.fingerprint) ?? null,
      value: null,
      joins: recorded === 'firing',
    }));
    await writeMemberships(tx, await planMemberships(tx, copies, now), { nowMs: now, ruleId: null });
    await insertExternalTransitions(tx, transitions);
    const firing = written.filter((w) => w.state === 'firing').length;
    const summary = {
      received: alerts.length,
      firing,
      resolved: written.length - firing,
      started: transitions.filter((t) => t.to === 'firing').length,
    };
    await writeAudit(tx, {
      actor: actorOf(ctx.identity),
      action: 'alerts.receive',
      targetType: 'alerts',
      after: summary,
      requestId: ctx.requestId,
      ip: ctx.ip,
    });
    return summary;
  });
}

/**
 * Records as resolved the external alerts whose endsAt passed without a new post (a periodic job), with their
 * EndsAtPassed history. Listings never wait for it: they compute the state from endsAt. The notification groups'
 * copies need no write: they hold the same endsAt, which already reads as resolved (a write would only make a
 * flush keep a resolved member it just sent, spec A5.4).
 */
export async function resolveLapsedExternalAlerts(sql: Sql, now = Date.now()): Promise<number> {
  return sql.begin(async (tx) => {
    const lapsedRows = await tx<{ fingerprint: string; labels: Record<string, string>; ends_at: Date }[]>`
      update alert_instances set state = 'resolved', reason = 'EndsAtPassed', resolved_at = ends_at
      where source = 'external' and state = 'firing' and ends_at <= ${new Date(now)}
      returning fingerprint, labels, ends_at`;
    await insertExternalTransitions(
      tx,
      lapsedRows.map((r) => ({
        fingerprint: r.fingerprint,
        labels: r.labels,
        from: 'firing' as const,
        to: 'resolved' as const,
        reason: 'EndsAtPassed' as const,
        at: r.ends_at.getTime(),
      })),
    );
    return lapsedRows.length;
  });
}

/** External alerts with their state at `now` (firing: endsAt still ahead), newest start first, at most `limit`. */
export async function listExternalAlerts(
  sql: Sql,
  o: { now: number; firing: boolean; resolved: boolean; limit: number },
): Promise<ExternalAlertRow[]> {
  if (!o.firing && !o.resolved) return [];
  const at = new Date(o.now);
  const rows = await sql.unsafe<ExternalDbRow[]>(
    `select ${EXTERNAL_COLUMNS} from alert_instances where source = 'external'
       and (($1::boolean and ends_at <= $3) or ($2::boolean and ends_at > $3))
     order by starts_at desc, fingerprint limit $4`,
    [o.resolved, o.firing, at, o.limit],
  );
  return rows.map((r) => {
    const alert = fromDb(r);
    return { ...alert, id: r.id, state: stateAt(alert, o.now) };
  });
}
