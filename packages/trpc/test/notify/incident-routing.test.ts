/**
 * A route's incident option (issue 15, Alerting II) on a fake clock and a real Postgres: a firing group opens one
 * incident, later alerts join it, concurrent flushes open it once, and resolved alerts only suggest resolving it.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { routeUpdateInput } from '../../src/schemas/routes';
import { getIncident } from '../../src/services/incident-reads';
import { transitionIncident } from '../../src/services/incidents';
import { defaultFlushOptions, flushGroups, runDueFlushes } from '../../src/services/notify/flush';
import { claimDueGroups } from '../../src/services/notify/groups';
import { getRouteTree, loadRouting, updateRouteTree } from '../../src/services/notify/route-store';
import { addReceiver, H, M, rootRoute, runTimeline, S, setTree, T0, timelineDb } from './timeline';

const env = timelineDb();
const ctx = { identity: null, requestId: 'incident-routing', ip: null };

async function incidents() {
  return env.database.sql<{ id: string; title: string; severity: string; status: string }[]>`
    select id, title, severity, status from incidents order by created_at`;
}

async function links() {
  return env.database.sql<
    { incidentId: string; routeId: string; alerts: { fingerprint: string; resolved: boolean }[] }[]
  >`
    select incident_id as "incidentId", route_id as "routeId", alerts from incident_alert_groups order by linked_at`;
}

/** A receiver and a tree whose root opens SEV2 incidents (children as given). */
async function incidentTree(over: Parameters<typeof rootRoute>[1] = {}) {
  const { receiverId, integrationIds } = await addReceiver(env.database);
  await setTree(env.database, rootRoute(receiverId, { incident: { severity: 'SEV2' }, ...over }));
  return integrationIds;
}

/** A service and an environment the alerts' labels can name. */
async function serviceAndEnvironment() {
  const slug = `svc-${randomUUID().slice(0, 8)}`;
  const envName = `Prod-${randomUUID().slice(0, 8)}`;
  const [s] = await env.database.sql<{ id: string }[]>`
    insert into services (name, slug) values (${slug}, ${slug}) returning id`;
  const [e] = await env.database.sql<{ id: string }[]>`
    insert into environments (name, position) values (${envName}, 99) returning id`;
  return { slug, envName, serviceId: s!.id, environmentId: e!.id };
}

describe('route incident option', () => {
  it('a firing group opens one incident, with impacts, an internal note and a system audit entry', async () => {
    await env.database.sql`truncate incidents cascade`;
    const integrationIds = await incidentTree();
    const { slug, envName, serviceId, environmentId } = await serviceAndEnvironment();
    await runTimeline(env.database, {
      t0: T0,
      integrationIds,
      until: 20 * M,
      events: [
        { at: 0, push: ['a', 'b'], labels: { service: slug, environment: envName.toLowerCase() } },
        { at: 0, push: ['c'], labels: { service: 'no-such-service', environment: envName } },
      ],
    });
    const [incident, ...others] = await incidents();
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ title: 'Test', severity: 'SEV2', status: 'investigating' });
    const detail = await getIncident(env.database.db, incident!.id);
    expect(detail.impacts.map((i) => [i.serviceId, i.environmentId, i.impact])).toEqual([
      [serviceId, environmentId, 'partial_outage'],
    ]);
    expect(detail.updates).toHaveLength(1);
    expect(detail.updates[0]).toMatchObject({ visibility: 'internal', authorId: null });
    expect(detail.updates[0]!.body).toContain('Opened by route "root"');
    expect(detail.alertGroups).toMatchObject([{ routeId: 'root', firing: 3, resolved: 0 }]);
    expect(detail.suggestResolve).toBe(false);
    const audit = await env.database.sql<{ actorType: string; actorLabel: string }[]>`
      select actor_type as "actorType", actor_label as "actorLabel" from audit_log
      where action = 'incident.create' and target_id = ${incident!.id}`;
    expect(audit).toEqual([{ actorType: 'system', actorLabel: 'alert routing' }]);
  });

  it('new alerts of a linked group join its open incident, noted on its timeline; no second incident', async () => {
    await env.database.sql`truncate incidents cascade`;
    const integrationIds = await incidentTree();
    await runTimeline(env.database, {
      t0: T0,
      integrationIds,
      until: 30 * M,
      events: [
        { at: 0, push: ['a'] },
        { at: 10 * M, push: ['b', 'c'] },
      ],
    });
    const [incident, ...others] = await incidents();
    expect(others).toEqual([]);
    const detail = await getIncident(env.database.db, incident!.id);
    expect(detail.alertGroups).toMatchObject([{ firing: 3, resolved: 0 }]);
    expect(detail.updates.map((u) => u.body)).toEqual([
      expect.stringMatching(/^2 alert\(s\) of the linked group fire/),
      expect.stringMatching(/^Opened by route/),
    ]);
    const [joins] = await env.database.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log where action = 'incident.alerts_join' and target_id = ${incident!.id}
        and actor_type = 'system'`;
    expect(joins!.n).toBe(1);
  });

  it('three instances flushing the same tick open one incident', async () => {
    await env.database.sql`truncate incidents cascade`;
    const integrationIds = await incidentTree();
    await runTimeline(env.database, {
      t0: T0,
      integrationIds,
      until: 0,
      events: [{ at: 0, push: ['a', 'b'] }],
    });
    const tick = T0 + 30 * S;
    await Promise.all(
      ['api-1', 'api-2', 'api-3'].map((owner) => runDueFlushes(env.database, tick, { owner, limit: 1 })),
    );
    expect(await incidents()).toHaveLength(1);
    expect(await links()).toHaveLength(1);
  });

  it('the same claim flushed twice at once (a retry racing itself) opens one incident', async () => {
    await env.database.sql`truncate incidents cascade`;
    const integrationIds = await incidentTree();
    await runTimeline(env.database, { t0: T0, integrationIds, until: 0, events: [{ at: 0, push: ['a'] }] });
    const tick = T0 + 30 * S;
    const o = { ...defaultFlushOptions(), owner: 'api-1' };
    const claims = await claimDueGroups(env.database.sql, o.owner, 10, tick, 30 * S);
    const results = await Promise.all([
      flushGroups(env.database, claims, tick, o),
      flushGroups(env.database, claims, tick, o),
    ]);
    expect(results.map((r) => r.length).sort()).toEqual([0, 1]);
    expect(await incidents()).toHaveLength(1);
    expect(await links()).toHaveLength(1);
  });

  it('a flush whose lease lapsed to another instance writes nothing: one incident from the two', async () => {
    await env.database.sql`truncate incidents cascade`;
    const integrationIds = await incidentTree();
    await runTimeline(env.database, { t0: T0, integrationIds, until: 0, events: [{ at: 0, push: ['a'] }] });
    const tick = T0 + 30 * S;
    const o = defaultFlushOptions();
    const first = await claimDueGroups(env.database.sql, 'api-1', 10, tick, 1_000);
    const second = await claimDueGroups(env.database.sql, 'api-2', 10, tick + 2 * S, 30 * S);
    expect(first).toHaveLength(1);
    expect(second).toEqual(first);
    const results = await Promise.all([
      flushGroups(env.database, first, tick, { ...o, owner: 'api-1' }),
      flushGroups(env.database, second, tick + 2 * S, { ...o, owner: 'api-2' }),
    ]);
    expect(results.map((r) => r.length)).toEqual([0, 1]);
    expect(await incidents()).toHaveLength(1);
  });

  it('resolved alerts suggest resolving, never resolve; once resolved, a new firing opens a new incident', async () => {
    await env.database.sql`truncate incidents cascade`;
    const integrationIds = await incidentTree();
    await runTimeline(env.database, {
      t0: T0,
      integrationIds,
      until: 2 * H,
      events: [
        { at: 0, push: ['a', 'b'] },
        { at: 10 * M, resolve: ['a'] },
        { at: 20 * M, resolve: ['b'] },
      ],
    });
    const [incident] = await incidents();
    expect(await env.database.sql`select 1 from alert_groups`).toHaveLength(0);
    const detail = await getIncident(env.database.db, incident!.id);
    expect(detail.status).toBe('investigating');
    expect(detail.resolvedAt).toBeNull();
    expect(detail.alertGroups).toMatchObject([{ firing: 0, resolved: 2 }]);
    expect(detail.alertGroups[0]!.allResolvedAt).not.toBeNull();
    expect(detail.suggestResolve).toBe(true);

    await transitionIncident({ ...ctx, db: env.database.db }, incident!.id, 'resolved');
    expect((await getIncident(env.database.db, incident!.id)).suggestResolve).toBe(false);
    await runTimeline(env.database, {
      t0: T0 + 3 * H,
      integrationIds,
      until: 10 * M,
      events: [{ at: 0, push: ['a'] }],
    });
    const after = await incidents();
    expect(after.map((i) => i.status)).toEqual(['resolved', 'investigating']);
  });

  it('a resolve is seen before the next tick: suggestResolve follows the group live', async () => {
    await env.database.sql`truncate incidents cascade`;
    const integrationIds = await incidentTree();
    await runTimeline(env.database, {
      t0: T0,
      integrationIds,
      until: 1 * M,
      events: [
        { at: 0, push: ['a'] },
        { at: 1 * M, resolve: ['a'] },
      ],
    });
    const [incident] = await incidents();
    const detail = await getIncident(env.database.db, incident!.id);
    expect(detail.alertGroups).toMatchObject([{ firing: 0, resolved: 1, allResolvedAt: null }]);
    expect(detail.suggestResolve).toBe(true);
  });

  it('opens nothing without the option, for a child that turns it off, or for a silenced group', async () => {
    await env.database.sql`truncate incidents cascade`;
    const { receiverId, integrationIds } = await addReceiver(env.database);
    await setTree(
      env.database,
      rootRoute(receiverId, {
        incident: { severity: 'SEV3' },
        children: [
          {
            id: 'quiet',
            matchers: [{ label: 'team', op: '=', value: 'quiet' }],
            continue: false,
            incident: null,
            children: [],
          },
          {
            id: 'inherits',
            matchers: [{ label: 'team', op: '=', value: 'db' }],
            continue: false,
            children: [],
          },
        ],
      }),
    );
    await runTimeline(env.database, {
      t0: T0,
      integrationIds,
      until: 20 * M,
      events: [
        { at: 0, push: ['q'], labels: { team: 'quiet' } },
        { at: 0, silence: { team: 'muted' }, until: H },
        { at: 0, push: ['m'], labels: { team: 'muted' } },
        { at: 0, push: ['d'], labels: { team: 'db' } },
      ],
    });
    expect((await links()).map((l) => l.routeId)).toEqual(['inherits']);
    expect((await incidents()).map((i) => i.severity)).toEqual(['SEV3']);
  });

  it('the option saves with the tree (audited) and routes after the reload; a bad severity is refused first', async () => {
    const { receiverId } = await addReceiver(env.database);
    const tree = rootRoute(receiverId, {
      muteTimeIntervals: [],
      activeTimeIntervals: [],
      children: [
        {
          id: 'db',
          matchers: [{ label: 'team', op: '=', value: 'db' }],
          continue: false,
          incident: { severity: 'SEV1' },
          children: [],
        },
      ],
    });
    const { version } = await getRouteTree(env.database.db);
    const bad = routeUpdateInput.safeParse({
      tree: { ...tree, children: [{ ...tree.children[0], incident: { severity: 'SEV0' } }] },
      expectedVersion: version,
    });
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['tree.children.0.incident.severity']);
    const input = routeUpdateInput.parse({ tree, expectedVersion: version });
    await updateRouteTree({ ...ctx, db: env.database.db }, input.tree as typeof tree, input.expectedVersion);
    const routing = await loadRouting(env.database.sql);
    expect(routing.compiled.routes.get('db')!.incident).toEqual({ severity: 'SEV1' });
    expect(routing.compiled.routes.get('root')!.incident).toBeNull();
    const [audit] = await env.database.sql<{ diff: { after: { tree: typeof tree } } }[]>`
      select diff from audit_log where action = 'route_tree.update' order by id desc limit 1`;
    expect(audit!.diff.after.tree.children[0]!.incident).toEqual({ severity: 'SEV1' });
  });
});
