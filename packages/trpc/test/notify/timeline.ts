/**
 * A timeline DSL for notification tests on a fake clock and a real Postgres: at t push or resolve alerts (through
 * the real /api/v2/alerts writer), add silences, change the tree; the runner steps the clock to every event and
 * every due group tick, running the real flush there; the messages enqueued are what the test expects.
 */
import { randomUUID } from 'node:crypto';
import type { Database, RouteNode } from '@sextant/db';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { receiveAlerts } from '../../src/services/alerting/external';
import { receiveExternalAlerts } from '../../src/services/alerting/instances';
import { runDueFlushes, type TickResult } from '../../src/services/notify/flush';
import type { MessageAlert, NotificationMessage } from '../../src/services/notify/message';
import { engineDb } from '../alerting/engine-fixture';

export const S = 1_000;
export const M = 60 * S;
export const H = 60 * M;

const ctx = { identity: null, requestId: 'timeline', ip: null };

/** Labels of a test alert: all share alertname "Test" (one group under the default group_by), told apart by name. */
export const labelsOf = (name: string, extra: Record<string, string> = {}) => ({
  alertname: 'Test',
  name,
  ...extra,
});

export type Event =
  | {
      at: number;
      push: string[];
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      startsAt?: number;
      endsAt?: number;
    }
  | { at: number; resolve: string[]; labels?: Record<string, string> }
  | { at: number; silence: Record<string, string>; until: number; suppressResolve?: boolean }
  | { at: number; run: (t: number) => Promise<unknown> };

/** A webhook receiver with `integrations` webhooks, written as the receivers service would. */
export async function addReceiver(
  database: Database,
  integrations: { sendResolved: boolean }[] = [{ sendResolved: true }],
) {
  const receiverId = randomUUID();
  await database.sql`insert into receivers (id, name) values (${receiverId}, ${`r-${receiverId.slice(0, 8)}`})`;
  const ids: string[] = [];
  for (const [position, i] of integrations.entries()) {
    const id = randomUUID();
    ids.push(id);
    const settings = {
      kind: 'webhook',
      url: `http://127.0.0.1:9/hook/${position}`,
      maxAlerts: 0,
      timeoutMs: 5000,
    };
    await database.sql`
      insert into receiver_integrations (id, receiver_id, position, kind, send_resolved, settings)
      values (${id}, ${receiverId}, ${position}, 'webhook', ${i.sendResolved}, ${JSON.stringify(settings)}::jsonb)`;
  }
  return { receiverId, integrationIds: ids };
}

/** Saves the routing tree, as the route store would (version bumped, so the cached one is rebuilt). */
export async function setTree(database: Database, tree: RouteNode) {
  await database.sql`update route_tree set tree = ${JSON.stringify(tree)}::jsonb, version = version + 1 where id = 'default'`;
}

/** A root route to `receiverId` with the spec's default timers, grouped by alertname; `over` overrides. */
export const rootRoute = (receiverId: string, over: Partial<RouteNode> = {}): RouteNode => ({
  id: 'root',
  matchers: [],
  continue: false,
  receiverId,
  groupBy: ['alertname'],
  groupWaitSeconds: 30,
  groupIntervalSeconds: 300,
  repeatIntervalSeconds: 4 * 3600,
  children: [],
  ...over,
});

/** Posts alerts (the real writer); resolving is a post with endsAt = now, as Prometheus sends it. */
interface PostOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: number;
  endsAt?: number;
  resolveTimeoutMs: number;
}

async function post(database: Database, t: number, names: string[], o: PostOptions) {
  const body = names.map((n) => ({
    labels: labelsOf(n, o.labels),
    annotations: o.annotations ?? {},
    ...(o.startsAt !== undefined ? { startsAt: new Date(o.startsAt).toISOString() } : {}),
    ...(o.endsAt !== undefined ? { endsAt: new Date(o.endsAt).toISOString() } : {}),
  }));
  await receiveExternalAlerts(database.sql, ctx, receiveAlerts(body, t, o.resolveTimeoutMs), t);
}

/** One message as a test reads it: when, through which integration, and the alerts it carries. */
export interface Seen {
  at: number;
  integration: number;
  status: string;
  reason: string;
  alerts: string[];
  sequence: number;
  idempotencyKey: string;
  payload: NotificationMessage;
}

const alertText = (a: MessageAlert) => `${a.labels.name ?? a.fingerprint}:${a.status}`;

export interface Timeline {
  t0: number;
  messages: Seen[];
  ticks: TickResult[];
}

/**
 * Runs `events` (times relative to t0) until `until`: the clock steps to every event and every group's next tick,
 * events at a time applied before the flush there. Returns the messages enqueued, in tick order.
 */
export async function runTimeline(
  database: Database,
  o: {
    events: Event[];
    until: number;
    t0: number;
    integrationIds: string[];
    owner?: string;
    /** resolve_timeout of posted alerts without endsAt (default 24 h: longer than any timeline). */
    resolveTimeoutMs?: number;
  },
): Promise<Timeline> {
  const events = [...o.events].sort((a, b) => a.at - b.at);
  const ticks: TickResult[] = [];
  let t = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const [row] = await database.sql<
      { at: Date | null }[]
    >`select min(next_flush_at) as at from alert_groups`;
    const due = row?.at ? row.at.getTime() - o.t0 : Number.POSITIVE_INFINITY;
    const next = Math.min(events[0]?.at ?? Number.POSITIVE_INFINITY, Math.max(due, t));
    if (next > o.until) break;
    t = next;
    while (events[0] && events[0].at === t) {
      const e = events.shift()!;
      const now = o.t0 + t;
      const resolveTimeoutMs = o.resolveTimeoutMs ?? 24 * H;
      const rel = (ms: number | undefined) => (ms === undefined ? undefined : o.t0 + ms);
      if ('push' in e)
        await post(database, now, e.push, {
          ...e,
          startsAt: rel(e.startsAt),
          endsAt: rel(e.endsAt),
          resolveTimeoutMs,
        });
      else if ('resolve' in e)
        await post(database, now, e.resolve, { labels: e.labels, endsAt: now, resolveTimeoutMs });
      else if ('silence' in e)
        await addSilence(database, e.silence, now, o.t0 + e.until, e.suppressResolve ?? false);
      else await e.run(now);
    }
    ticks.push(...(await runDueFlushes(database, o.t0 + t, { owner: o.owner ?? 'timeline' })));
  }
  return { t0: o.t0, messages: await messages(database, o.t0, o.integrationIds), ticks };
}

/** A silence on exact labels, written as the silence store would. */
export async function addSilence(
  database: Database,
  labels: Record<string, string>,
  from: number,
  to: number,
  suppressResolve: boolean,
) {
  const matchers = Object.entries(labels).map(([label, value]) => ({ label, op: '=', value }));
  await database.sql`
    insert into silences (matchers, starts_at, ends_at, created_by, comment, suppress_resolve, created_at, updated_at)
    values (${JSON.stringify(matchers)}::jsonb, ${new Date(from)}, ${new Date(to)}, 'test', 'timeline', ${suppressResolve},
      ${new Date(from)}, ${new Date(from)})`;
}

/** Every message enqueued, in tick then integration order. */
export async function messages(database: Database, t0: number, integrationIds: string[]): Promise<Seen[]> {
  const rows = await database.sql<
    {
      tickAt: Date;
      integrationId: string;
      sequence: number;
      idempotencyKey: string;
      payload: NotificationMessage;
    }[]
  >`
    select tick_at as "tickAt", integration_id as "integrationId", sequence, idempotency_key as "idempotencyKey", payload
    from notification_outbox order by tick_at, integration_id, sequence`;
  return rows
    .map((r) => ({
      at: r.tickAt.getTime() - t0,
      integration: integrationIds.indexOf(r.integrationId),
      status: r.payload.status,
      reason: r.payload.notification_reason,
      alerts: r.payload.alerts.map(alertText),
      sequence: r.sequence,
      idempotencyKey: r.idempotencyKey,
      payload: r.payload,
    }))
    .sort((a, b) => a.at - b.at || a.integration - b.integration);
}

/** A compact view for toEqual: [at, status, reason, alerts]. */
export const brief = (seen: Seen[]) => seen.map((s) => [s.at, s.status, s.reason, s.alerts.join(' ')]);

/** Empties every table a timeline writes, so cases in one file share a database. */
export async function resetTimeline(database: Database) {
  await database.sql`
    truncate alert_groups, alert_group_members, notification_log, notification_ticks, notification_outbox,
      alert_instances, alert_transitions, silences, receivers, receiver_integrations, time_intervals cascade`;
}

/** A fake clock's t0 on a whole hour, 12 h back: posted dates stay valid and a day of timeline fits before now. */
export const T0 = Math.floor(Date.now() / H) * H - 12 * H;

/** The database of one test file: created before all cases, closed after, emptied before each. */
export function timelineDb(): { database: Database; url: string } {
  const env = {} as { database: Database; url: string };
  beforeAll(async () => {
    Object.assign(env, await engineDb());
  });
  afterAll(() => env.database.close());
  beforeEach(() => resetTimeline(env.database));
  return env;
}
