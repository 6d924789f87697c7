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

/**
 * Locks the claimed group for the tick's writes; false when the claim no longer holds it (another instance took the
 * group over after the lease lapsed, or its schedule moved), and then nothing may be written.
 */
export async function lockClaimedGroup(tx: Queries, claim: ClaimedGroup, owner: string): Promise<boolean> {
  const rows = await tx`
    select 1 from alert_groups
    where route_id = ${claim.routeId} and group_key = ${claim.groupKey} and lease_owner = ${owner}
      and next_flush_at = ${new Date(claim.tickAt)}
    for update`;
  return rows.length > 0;
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

/**
 * The group as its tick sees it, read without locks before the tick's transaction: `version` tells a join since
 * then, a member's `updatedAt` a write since then (finishGroupTick).
 */
export async function snapshotGroup(sql: Queries, claim: ClaimedGroup) {
  const [group] = await sql<{ groupLabels: Record<string, string>; version: number }[]>`
    select group_labels as "groupLabels", version from alert_groups
    where route_id = ${claim.routeId} and group_key = ${claim.groupKey}`;
  if (!group) return null;
  return { ...group, members: await groupMembers(sql, claim) };
}

function groupMembers(tx: Queries, claim: ClaimedGroup): Promise<GroupMember[]> {
  return tx<GroupMember[]>`
    select fingerprint, alert_id as "alertId", rule_id as "ruleId", labels, annotations, starts_at as "startsAt",
      ends_at as "endsAt", generator_url as "generatorUrl", value, updated_at as "updatedAt"
    from alert_group_members where route_id = ${claim.routeId} and group_key = ${claim.groupKey}
    order by fingerprint`;
}

/**
 * Ends a tick (spec A5.4, our A5 rule): deletes the resolved members the tick sent unless written since the
 * snapshot (a member a writer holds is skipped, not waited for), then destroys the group if it is empty and
 * nothing joined (`version` unchanged), else moves it to `nextFlushAt` and releases the claim.
 */
export async function finishGroupTick(
  tx: Queries,
  claim: ClaimedGroup,
  o: { retired: readonly GroupMember[]; version: number; lastTickAt: number; nextFlushAt: number },
): Promise<{ destroyed: boolean }> {
  const retired = o.retired.map((m) => ({
    fingerprint: m.fingerprint,
    updated_at: m.updatedAt.toISOString(),
  }));
  if (retired.length > 0)
    await tx`
      delete from alert_group_members m using (
        select x.route_id, x.group_key, x.fingerprint from alert_group_members x
        join jsonb_to_recordset(${JSON.stringify(retired)}::jsonb) as r(fingerprint char(16), updated_at timestamptz)
          on r.fingerprint = x.fingerprint and r.updated_at = x.updated_at
        where x.route_id = ${claim.routeId} and x.group_key = ${claim.groupKey}
        for update of x skip locked) gone
      where m.route_id = gone.route_id and m.group_key = gone.group_key and m.fingerprint = gone.fingerprint`;
  const destroyed = await tx`
    delete from alert_groups g where route_id = ${claim.routeId} and group_key = ${claim.groupKey}
      and version = ${o.version}
      and not exists (select from alert_group_members m where m.route_id = g.route_id and m.group_key = g.group_key)`;
  if (destroyed.count > 0) return { destroyed: true };
  await tx`
    update alert_groups set next_flush_at = ${new Date(o.nextFlushAt)}, last_tick_at = ${new Date(o.lastTickAt)},
      lease_owner = null, lease_until = null
    where route_id = ${claim.routeId} and group_key = ${claim.groupKey}`;
  return { destroyed: false };
}

/** Drops a group whose route is gone from the tree, with its members (see the file head for why). */
export async function dropGroup(tx: Queries, claim: ClaimedGroup): Promise<void> {
  await tx`delete from alert_groups where route_id = ${claim.routeId} and group_key = ${claim.groupKey}`;
}
