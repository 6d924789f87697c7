/**
 * The read side of alerting: alert instances (rule and external) as the Alerts page, an alert's detail and a
 * service page show them. Read-only: instances.ts alone writes alert_instances and alert_transitions.
 */
import { and, asc, type Db, type DbOrTx, desc, eq, inArray, isNull, or, schema, sql } from '@sextant/db';
import type { AlertState } from '@sextant/db/enums';
import type { SQL } from 'drizzle-orm';
import { AppError } from '../../errors';
import { ALERT_LIST_LIMITS, type AlertListInput, type AlertRef } from '../../schemas/alerts';
import { getService } from '../services';
import { type AlertMutes, mutesFor } from './muting';
import { FIRING_STATES, stateAt } from './state-at';

const i = schema.alertInstances;
const r = schema.alertRules;
const t = schema.alertTransitions;

/** Firing first, then recovering, pending, error, nodata, resolved: what needs eyes comes first. */
const RANK_ORDER: readonly AlertState[] = ['firing', 'recovering', 'pending', 'error', 'nodata', 'resolved'];
const rankOf = (state: SQL) =>
  sql<number>`(array_position(array[${sql.raw(RANK_ORDER.map((s) => `'${s}'`).join(','))}]::text[], ${state}) - 1)`;

/** When the alert entered its state: fired for firing ones, resolved for resolved ones, else active. Milliseconds, as the cursor carries. */
const sinceOf = (state: SQL) =>
  sql`date_trunc('milliseconds', case when ${state} = 'resolved' then coalesce(${i.resolvedAt}, ${i.endsAt}, ${i.updatedAt}) when ${state} in ('firing', 'recovering') then coalesce(${i.firedAt}, ${i.startsAt}, ${i.activeAt}) else ${i.activeAt} end)`.mapWith(
    i.activeAt,
  );

/** `%` and `_` in a user's text are literal characters, not wildcards. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function rowFields(now: Date) {
  const state = stateAt(now);
  return {
    id: i.id,
    source: i.source,
    fingerprint: i.fingerprint,
    labels: i.labels,
    annotations: i.annotations,
    state,
    rank: rankOf(state),
    since: sinceOf(state),
    activeAt: i.activeAt,
    firedAt: i.firedAt,
    resolvedAt: i.resolvedAt,
    startsAt: i.startsAt,
    endsAt: i.endsAt,
    value: i.value,
    reason: i.reason,
    generatorUrl: i.generatorUrl,
    ruleId: i.ruleId,
    ruleName: r.name,
    ruleKind: r.kind,
  };
}

type Row = Awaited<ReturnType<typeof selectRows>>[number];

function selectRows(db: DbOrTx, now: Date, where: SQL | undefined, limit: number) {
  const fields = rowFields(now);
  return db
    .select(fields)
    .from(i)
    .leftJoin(r, eq(r.id, i.ruleId))
    .where(where)
    .orderBy(asc(fields.rank), desc(fields.since), asc(i.id))
    .limit(limit);
}

/**
 * A service's alerts: its rules' (alert_rules.service_id) and any whose `service` label is its slug, as metrics
 * label it. An unknown service matches nothing, as any other filter would.
 */
async function serviceFilter(db: DbOrTx, ref: string): Promise<SQL> {
  const service = await getService(db, ref).catch((e: unknown) => {
    if (e instanceof AppError && e.appCode === 'NOT_FOUND') return null;
    throw e;
  });
  if (!service) return sql`false`;
  return or(eq(r.serviceId, service.id), sql`${i.labels}->>'service' = ${service.slug}`)!;
}

async function filters(db: DbOrTx, f: Omit<AlertListInput, 'cursor' | 'limit'>, now: Date) {
  const fields = rowFields(now);
  return and(
    f.state ? inArray(fields.state, f.state) : undefined,
    f.service ? await serviceFilter(db, f.service) : undefined,
    f.severity ? sql`${i.labels}->>'severity' = ${f.severity}` : undefined,
    f.text
      ? sql`exists (select 1 from jsonb_each_text(${i.labels}) l where l.key ilike ${likePattern(f.text)} or l.value ilike ${likePattern(f.text)})`
      : undefined,
    f.ruleId ? eq(i.ruleId, f.ruleId) : undefined,
  );
}

function after(now: Date, c: NonNullable<AlertListInput['cursor']>): SQL {
  const { rank, since } = rowFields(now);
  const at = sql`${c.since.toISOString()}::timestamptz`;
  return sql`(${rank} > ${c.rank} or (${rank} = ${c.rank} and (${since} < ${at} or (${since} = ${at} and ${i.id} > ${c.id}))))`;
}

/** Rows as callers see them: the rule (or external source) and what mutes the alert, with links to the sources. */
function present(rows: Row[], muted: Map<string, AlertMutes>) {
  return rows.map(({ ruleId, ruleName, ruleKind, rank: _rank, ...row }) => {
    const m = muted.get(row.id);
    return {
      ...row,
      rule: ruleId && ruleName && ruleKind ? { id: ruleId, name: ruleName, kind: ruleKind } : null,
      silencedBy: m?.silencedBy ?? [],
      inhibitedBy: (m?.inhibitedBy ?? []).map(({ ruleId: inhibitionRuleId, source: s }) => ({
        inhibitionRuleId,
        source: { fingerprint: s.fingerprint, ruleId: s.ruleId, alertname: s.alertname },
      })),
    };
  });
}

export type AlertRow = ReturnType<typeof present>[number];

/**
 * One page of alerts, firing first, newest first within a state, keyset-paginated on (rank, since, id). Silenced
 * or inhibited alerts are dropped after reading when asked; a page then scans at most `scanFactor` pages' rows
 * and may come back short, with a cursor to go on from.
 */
export async function listAlerts(db: Db, input: AlertListInput, now: Date) {
  const where = await filters(db, input, now);
  const dropMuted = !input.silenced || !input.inhibited;
  const items: Row[] = [];
  const muted = new Map<string, AlertMutes>();
  let cursor = input.cursor;
  let scanned = 0;
  let more = true;
  while (more && items.length < input.limit && scanned < input.limit * ALERT_LIST_LIMITS.scanFactor) {
    const want = input.limit - items.length;
    const rows = await selectRows(db, now, and(where, cursor ? after(now, cursor) : undefined), want + 1);
    more = rows.length > want;
    const page = rows.slice(0, want);
    scanned += page.length;
    const found = await mutesFor(db, page, now);
    for (const row of page) {
      const m = found.get(row.id);
      if (m) muted.set(row.id, m);
      const keep =
        !dropMuted ||
        ((input.silenced || !m?.silencedBy.length) && (input.inhibited || !m?.inhibitedBy.length));
      if (keep) items.push(row);
    }
    const last = page.at(-1);
    if (last) cursor = { rank: last.rank, since: last.since, id: last.id };
  }
  return { items: present(items, muted), nextCursor: more && cursor ? cursor : null };
}

/** A service's firing alerts (firing and recovering), for its page; bounded like one page of the list. */
export async function serviceAlerts(db: Db, service: string, now: Date) {
  const { id } = await getService(db, service);
  return listAlerts(
    db,
    {
      service: id,
      state: [...FIRING_STATES],
      silenced: true,
      inhibited: true,
      limit: ALERT_LIST_LIMITS.pageSize,
    },
    now,
  );
}

/** The instance a reference names (see alertRef), or null when it is gone (evicted) or never existed. */
async function findInstance(db: DbOrTx, ref: AlertRef, now: Date) {
  const byRule = (ruleId: string) => and(eq(i.fingerprint, ref.fingerprint), eq(i.ruleId, ruleId));
  const [row] = ref.ruleId
    ? await selectRows(db, now, byRule(ref.ruleId), 1)
    : await db
        .select(rowFields(now))
        .from(i)
        .leftJoin(r, eq(r.id, i.ruleId))
        .where(eq(i.fingerprint, ref.fingerprint))
        // The external alert first, then the rule alert updated last.
        .orderBy(sql`${i.source} = 'external' desc`, desc(i.updatedAt))
        .limit(1);
  return row ?? null;
}

/** Where the alert's history lives: (rule, fingerprint), or the fingerprint without a rule for external alerts. */
export const historyOf = (fingerprint: string, ruleId: string | null) =>
  and(eq(t.fingerprint, fingerprint), ruleId ? eq(t.ruleId, ruleId) : isNull(t.ruleId));

/**
 * The alert a reference names, whether or not its instance still exists: the instance when it does, and the rule
 * the history belongs to. NOT_FOUND when there is neither an instance nor any history.
 */
export async function resolveAlert(db: DbOrTx, ref: AlertRef, now: Date) {
  const instance = await findInstance(db, ref, now);
  let ruleId = instance ? instance.ruleId : (ref.ruleId ?? null);
  if (!instance && !ref.ruleId) {
    // Evicted: the latest history row with that fingerprint says which rule (or none) it was.
    const [last] = await db
      .select({ ruleId: t.ruleId })
      .from(t)
      .where(eq(t.fingerprint, ref.fingerprint))
      .orderBy(desc(t.at), desc(t.id))
      .limit(1);
    if (!last) throw new AppError('NOT_FOUND', 'No such alert.');
    ruleId = last.ruleId;
  }
  const [rule] = ruleId ? await db.select().from(r).where(eq(r.id, ruleId)).limit(1) : [];
  return { instance, ruleId, rule: rule ?? null };
}

/** One alert: its instance (null once evicted), its state history newest first, and its rule. */
export async function getAlert(db: Db, ref: AlertRef, now: Date) {
  const { instance, ruleId, rule } = await resolveAlert(db, ref, now);
  const history = await db
    .select({
      id: t.id,
      from: t.fromState,
      to: t.toState,
      reason: t.reason,
      value: t.value,
      at: t.at,
      labels: t.labels,
    })
    .from(t)
    .where(historyOf(ref.fingerprint, ruleId))
    .orderBy(desc(t.at), desc(t.id))
    .limit(ALERT_LIST_LIMITS.history);
  if (!instance && history.length === 0) throw new AppError('NOT_FOUND', 'No such alert.');
  const [alert] = instance ? present([instance], await mutesFor(db, [instance], now)) : [];
  return {
    fingerprint: ref.fingerprint,
    alert: alert ?? null,
    labels: alert?.labels ?? history[0]!.labels,
    history,
    rule: rule && {
      id: rule.id,
      name: rule.name,
      kind: rule.kind,
      serviceId: rule.serviceId,
      condition: rule.condition,
      forSeconds: rule.forSeconds,
      keepFiringForSeconds: rule.keepFiringForSeconds,
      intervalSeconds: rule.intervalSeconds,
      enabled: rule.enabled,
    },
  };
}
