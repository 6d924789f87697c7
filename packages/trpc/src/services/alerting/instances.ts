/**
 * The one writer of `alert_instances` and `alert_transitions`: the engine persists a rule's evaluation here (its
 * instances and their transitions, in the caller's transaction), and the Alertmanager-compatible ingest
 * (`POST /api/v2/alerts`, spec A3) stores external alerts here.
 */
import { type Queries, type Sql, writeAudit } from '@sextant/db';
import { actorOf, type Context } from '../../context';
import {
  type ExternalAlert,
  type ExternalState,
  type ExternalTransition,
  receiveInto,
  stateAt,
} from './external';

// --- Rule alerts: the engine's writes (spec A2, R8). ---

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
    await tx`
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
        updated_at = excluded.updated_at`;
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
 * EndsAtPassed history. Listings never wait for it: they compute the state from endsAt.
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
