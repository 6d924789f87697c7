/**
 * Aggregation groups (spec A5): the one writer of alert_groups and alert_group_members. An alert's membership is
 * written in the statement (or transaction) that writes the alert itself — the engine's fenced slot statement and
 * the /api/v2/alerts transaction call membershipCtes — and the flush (flush.ts) claims, reads and retires groups here.
 *
 * Reloads (spec A5 "our rule", B31): a group is keyed by (route id, group key), so a tree change that keeps a
 * route's id and matchers and group_by keeps its groups, timers and log. An alert whose routes changed moves on its
 * next write (a firing rule alert is rewritten at least every resend delay, a posted one on its next post): it joins
 * its new groups and is resolved in the groups it left, so their receivers are told it is gone. A group whose route
 * was deleted is dropped at its next tick without a message: its receiver and timers went with the route, and the
 * alerts it held join their new routes' groups, which notify them as new.
 */
import type { AlertAnnotations, Queries } from '@sextant/db';
import { loadRouting } from './route-store';
import { type CompiledTree, groupsFor } from './routing';

type Fragment = ReturnType<Queries['unsafe']>;

// --- Membership: written with the alert. ---

/** An alert as its writer just stored it, for the copies its groups keep. Times are epoch ms. */
export interface AlertCopy {
  fingerprint: string;
  /** alert_instances.id, when the caller has it (else `alertIds` of membershipCtes supplies it). */
  alertId: string | null;
  labels: Record<string, string>;
  annotations: AlertAnnotations;
  startsAt: number;
  /** Resolved at t iff endsAt <= t; for an alert that stopped firing without resolving (nodata, error), its write time. */
  endsAt: number;
  value: number | null;
  generatorUrl: string | null;
  /** Firing (or recovering): joins the groups its labels route to. Otherwise it only updates the copies it has. */
  joins: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Where each alert goes (pure): one join row per group a joining alert routes to, with the group's first flush for
 * when the join creates it (spec A5.1: createdAt + group_wait, or at once when startsAt + group_wait has passed, B12).
 */
export function membershipPlan(tree: CompiledTree | null, alerts: readonly AlertCopy[], nowMs: number) {
  const copy = (a: AlertCopy) => ({
    fingerprint: a.fingerprint,
    alert_id: a.alertId,
    labels: a.labels,
    annotations: a.annotations,
    starts_at: iso(a.startsAt),
    ends_at: iso(a.endsAt),
    value: a.value,
    generator_url: a.generatorUrl,
    joins: a.joins,
  });
  const joins = alerts
    .filter((a) => a.joins)
    .flatMap((a) =>
      (tree ? groupsFor(tree, a.labels) : []).map((g) => ({
        ...copy(a),
        route_id: g.route.id,
        group_key: g.groupKey,
        group_labels: g.groupLabels,
        first_flush_at: iso(a.startsAt + g.route.groupWaitMs < nowMs ? nowMs : nowMs + g.route.groupWaitMs),
      })),
    );
  return { joins, copies: alerts.map(copy) };
}

export type MembershipPlan = ReturnType<typeof membershipPlan>;

/** The plan for alerts just written: the routing tree is read only when one of them joins. */
export async function planMemberships(sql: Queries, alerts: readonly AlertCopy[], nowMs: number) {
  const tree = alerts.some((a) => a.joins) ? (await loadRouting(sql)).compiled : null;
  return membershipPlan(tree, alerts, nowMs);
}

/**
 * CTEs (each starting with a comma) that write a plan inside the caller's statement, only where `held` is true:
 * the groups touched are locked first, in key order (a flush locks its group before its members, so the two never
 * wait on each other in opposite orders); joins upsert their group (bumping `version`, so a flush emptying it
 * concurrently keeps it) and their copy; every other copy of the same alerts is updated, and resolved in the
 * groups the alert no longer routes to. `ruleId` null means external alerts. `alertIds` names a CTE of (id,
 * fingerprint) holding the alerts' ids when the plan does not.
 */
export function membershipCtes(
  sql: Queries,
  plan: MembershipPlan,
  o: { held: Fragment; nowMs: number; ruleId: string | null; alertIds?: Fragment },
): Fragment {
  if (plan.copies.length === 0) return sql``;
  const now = new Date(o.nowMs);
  const mine = o.ruleId === null ? sql`m.rule_id is null` : sql`m.rule_id = ${o.ruleId}`;
  const alertId = (alias: Fragment) =>
    o.alertIds
      ? sql`coalesce(${alias}.alert_id, (select s.id from ${o.alertIds} s where s.fingerprint = ${alias}.fingerprint))`
      : sql`${alias}.alert_id`;
  const columns = sql`fingerprint char(16), alert_id uuid, labels jsonb, annotations jsonb, starts_at timestamptz,
    ends_at timestamptz, value float8, generator_url text, joins boolean`;
  return sql`, member_in as (
      select * from jsonb_to_recordset(${JSON.stringify(plan.joins)}::jsonb) as j(route_id text, group_key text,
        group_labels jsonb, first_flush_at timestamptz, ${columns})
    ), member_copy as (
      select * from jsonb_to_recordset(${JSON.stringify(plan.copies)}::jsonb) as c(${columns})
    ), member_locks as (
      select g.route_id from alert_groups g
      where ${o.held} and ((g.route_id, g.group_key) in (select route_id, group_key from member_in)
        or (g.route_id, g.group_key) in (select m.route_id, m.group_key from alert_group_members m
          where ${mine} and m.fingerprint in (select fingerprint from member_copy)))
      order by g.route_id, g.group_key for update
    ), member_groups as (
      insert into alert_groups (route_id, group_key, group_labels, created_at, next_flush_at)
      select distinct on (route_id, group_key) route_id, group_key, group_labels, ${now}, first_flush_at
      from member_in where ${o.held} and (select count(*) from member_locks) >= 0
      order by route_id, group_key, first_flush_at
      on conflict (route_id, group_key) do update set version = alert_groups.version + 1
      returning route_id, group_key
    ), member_joined as (
      insert into alert_group_members (route_id, group_key, fingerprint, alert_id, rule_id, labels, annotations,
        starts_at, ends_at, generator_url, value, updated_at)
      select j.route_id, j.group_key, j.fingerprint, ${alertId(sql`j`)}, ${o.ruleId}, j.labels, j.annotations,
        j.starts_at, j.ends_at, j.generator_url, j.value, ${now}
      from member_in j join member_groups g using (route_id, group_key)
      on conflict (route_id, group_key, fingerprint) do update set alert_id = excluded.alert_id,
        rule_id = excluded.rule_id, labels = excluded.labels, annotations = excluded.annotations,
        starts_at = excluded.starts_at, ends_at = excluded.ends_at, generator_url = excluded.generator_url,
        value = excluded.value, updated_at = excluded.updated_at
    ), member_copied as (
      update alert_group_members m set alert_id = ${alertId(sql`c`)}, labels = c.labels,
        annotations = c.annotations, starts_at = c.starts_at, generator_url = c.generator_url, value = c.value,
        ends_at = case when c.joins then least(m.ends_at, ${now}) else c.ends_at end, updated_at = ${now}
      from member_copy c
      where ${mine} and m.fingerprint = c.fingerprint and ${o.held} and (select count(*) from member_locks) >= 0
        and not exists (select from member_in j where j.route_id = m.route_id and j.group_key = m.group_key
          and j.fingerprint = m.fingerprint)
    )`;
}

/** Writes a plan on its own (in the caller's transaction): the external alerts' path. */
export async function writeMemberships(
  tx: Queries,
  plan: MembershipPlan,
  o: { nowMs: number; ruleId: string | null },
): Promise<void> {
  if (plan.copies.length === 0) return;
  await tx`with member_start as (select 1) ${membershipCtes(tx, plan, { ...o, held: tx`true` })} select 1`;
}

// --- The flush's side: claiming, reading and retiring groups. ---

/** A group claimed for its tick (the scheduled next_flush_at, epoch ms). */
export interface ClaimedGroup {
  routeId: string;
  groupKey: string;
  tickAt: number;
}

/** Milliseconds from `nowMs` to the next tick no instance holds (0 when one is due), null when no group waits. */
export async function msUntilNextTick(sql: Queries, nowMs: number): Promise<number | null> {
  const now = new Date(nowMs);
  const [row] = await sql<{ at: Date | null }[]>`
    select min(next_flush_at) as at from alert_groups where lease_until is null or lease_until < ${now}`;
  return row?.at ? Math.max(0, row.at.getTime() - nowMs) : null;
}

/** Leases up to `limit` groups due at `nowMs` to `owner`, oldest tick first, skipping those another holds. */
export async function claimDueGroups(
  sql: Queries,
  owner: string,
  limit: number,
  nowMs: number,
  leaseMs: number,
): Promise<ClaimedGroup[]> {
  const now = new Date(nowMs);
  const rows = await sql<{ routeId: string; groupKey: string; tickAt: Date }[]>`
    update alert_groups g set lease_owner = ${owner}, lease_until = ${new Date(nowMs + leaseMs)}
    from (select route_id, group_key from alert_groups
          where next_flush_at <= ${now} and (lease_until is null or lease_until < ${now})
          order by next_flush_at limit ${limit} for update skip locked) due
    where g.route_id = due.route_id and g.group_key = due.group_key
    returning g.route_id as "routeId", g.group_key as "groupKey", g.next_flush_at as "tickAt"`;
  return rows.map((r) => ({ routeId: r.routeId, groupKey: r.groupKey, tickAt: r.tickAt.getTime() }));
}

/** A claimed group's identity, as a Map key. */
export const claimKey = (c: { routeId: string; groupKey: string }) => JSON.stringify([c.routeId, c.groupKey]);

/** Claims (with their ticks) as a JSON recordset parameter, read by `claimRows`. */
const claimsJson = (claims: readonly ClaimedGroup[]) =>
  JSON.stringify(claims.map((c) => ({ route_id: c.routeId, group_key: c.groupKey, tick_at: iso(c.tickAt) })));

const claimRows = (sql: Queries, claims: readonly ClaimedGroup[]) =>
  sql`jsonb_to_recordset(${claimsJson(claims)}::jsonb) as c(route_id text, group_key text, tick_at timestamptz)`;

/**
 * Locks the claimed groups for the ticks' writes, in key order (as membershipCtes does); returns those the claim
 * still holds. A group another instance took over after the lease lapsed, or whose schedule moved, is left out,
 * and nothing may be written for it.
 */
export async function lockClaimedGroups(
  tx: Queries,
  claims: readonly ClaimedGroup[],
  owner: string,
): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const rows = await tx<{ routeId: string; groupKey: string }[]>`
    select g.route_id as "routeId", g.group_key as "groupKey"
    from alert_groups g join ${claimRows(tx, claims)}
      on c.route_id = g.route_id and c.group_key = g.group_key and g.next_flush_at = c.tick_at
    where g.lease_owner = ${owner}
    order by g.route_id, g.group_key
    for update of g`;
  return new Set(rows.map(claimKey));
}

/** A group's alert as the flush snapshots it. */
export interface GroupMember {
  fingerprint: string;
  alertId: string | null;
  ruleId: string | null;
  labels: Record<string, string>;
  annotations: AlertAnnotations;
  startsAt: Date;
  endsAt: Date | null;
  generatorUrl: string | null;
  value: number | null;
  updatedAt: Date;
}

/** A group as its tick sees it. */
export interface GroupSnapshot {
  groupLabels: Record<string, string>;
  version: number;
  members: GroupMember[];
}

/**
 * The groups as their ticks see them (by claimKey; a group gone since the claim is absent), read in one statement
 * without locks before the ticks' transaction: `version` tells a join since then, a member's `updatedAt` a write
 * since then (finishGroupTicks).
 */
export async function snapshotGroups(
  sql: Queries,
  claims: readonly ClaimedGroup[],
): Promise<Map<string, GroupSnapshot>> {
  const snapshots = new Map<string, GroupSnapshot>();
  if (claims.length === 0) return snapshots;
  const rows = await sql<
    ({
      routeId: string;
      groupKey: string;
      groupLabels: Record<string, string>;
      version: number;
    } & GroupMember)[]
  >`
    select g.route_id as "routeId", g.group_key as "groupKey", g.group_labels as "groupLabels", g.version,
      m.fingerprint, m.alert_id as "alertId", m.rule_id as "ruleId", m.labels, m.annotations,
      m.starts_at as "startsAt", m.ends_at as "endsAt", m.generator_url as "generatorUrl", m.value,
      m.updated_at as "updatedAt"
    from alert_groups g join ${claimRows(sql, claims)} on c.route_id = g.route_id and c.group_key = g.group_key
    left join alert_group_members m on m.route_id = g.route_id and m.group_key = g.group_key
    order by g.route_id, g.group_key, m.fingerprint`;
  for (const { routeId, groupKey, groupLabels, version, ...member } of rows) {
    const key = claimKey({ routeId, groupKey });
    const snapshot = snapshots.get(key) ?? { groupLabels, version, members: [] };
    if (member.fingerprint !== null) snapshot.members.push(member);
    snapshots.set(key, snapshot);
  }
  return snapshots;
}

/** How one tick ends: its claim, the resolved members it sent, and the group's snapshot version and next tick. */
export interface TickEnd {
  claim: ClaimedGroup;
  retired: readonly GroupMember[];
  version: number;
  lastTickAt: number;
  nextFlushAt: number;
}

/**
 * Ends ticks (spec A5.4, our A5 rule), set-based: deletes the resolved members each tick sent unless written since
 * its snapshot (a member a writer holds is skipped, not waited for), then destroys each group that is empty with
 * nothing joined (`version` unchanged), and moves the others to their next tick, releasing the claim. Returns the
 * destroyed groups' claimKeys.
 */
export async function finishGroupTicks(tx: Queries, ends: readonly TickEnd[]): Promise<Set<string>> {
  if (ends.length === 0) return new Set();
  const retired = ends.flatMap((e) =>
    e.retired.map((m) => ({
      route_id: e.claim.routeId,
      group_key: e.claim.groupKey,
      fingerprint: m.fingerprint,
      updated_at: m.updatedAt.toISOString(),
    })),
  );
  if (retired.length > 0)
    await tx`
      delete from alert_group_members m using (
        select x.route_id, x.group_key, x.fingerprint from alert_group_members x
        join jsonb_to_recordset(${JSON.stringify(retired)}::jsonb) as r(route_id text, group_key text,
          fingerprint char(16), updated_at timestamptz)
          on r.route_id = x.route_id and r.group_key = x.group_key and r.fingerprint = x.fingerprint
            and r.updated_at = x.updated_at
        for update of x skip locked) gone
      where m.route_id = gone.route_id and m.group_key = gone.group_key and m.fingerprint = gone.fingerprint`;
  const groups = JSON.stringify(
    ends.map((e) => ({
      route_id: e.claim.routeId,
      group_key: e.claim.groupKey,
      version: e.version,
      last_tick_at: iso(e.lastTickAt),
      next_flush_at: iso(e.nextFlushAt),
    })),
  );
  const rows = (
    sql: Queries,
  ) => sql`jsonb_to_recordset(${groups}::jsonb) as t(route_id text, group_key text, version int,
    last_tick_at timestamptz, next_flush_at timestamptz)`;
  const destroyed = await tx<{ routeId: string; groupKey: string }[]>`
    delete from alert_groups g using ${rows(tx)}
    where g.route_id = t.route_id and g.group_key = t.group_key and g.version = t.version
      and not exists (select from alert_group_members m where m.route_id = g.route_id and m.group_key = g.group_key)
    returning g.route_id as "routeId", g.group_key as "groupKey"`;
  await tx`
    update alert_groups g set next_flush_at = t.next_flush_at, last_tick_at = t.last_tick_at, lease_owner = null,
      lease_until = null
    from ${rows(tx)}
    where g.route_id = t.route_id and g.group_key = t.group_key`;
  return new Set(destroyed.map(claimKey));
}

/** Drops groups whose route is gone from the tree, with their members (see the file head for why). */
export async function dropGroups(tx: Queries, claims: readonly ClaimedGroup[]): Promise<void> {
  if (claims.length === 0) return;
  await tx`
    delete from alert_groups g using ${claimRows(tx, claims)}
    where g.route_id = c.route_id and g.group_key = c.group_key`;
}
