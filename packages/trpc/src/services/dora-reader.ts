/**
 * Reads what the pure DORA calculator (services/dora) needs from Postgres for one service, one team
 * (services.owner) or everything, and hands it to `doraFigures`. Only production-marked environments are read
 * (requirement 13); the database filters by index (deployments_env_finished_idx / _service_env_finished_idx,
 * incidents_started_idx) and the rows fetched are the window's finished deployments (commits only for succeeded
 * ones), the earlier succeeded deployments that first carried those commits, and the incidents with their links.
 */
import { type DbOrTx, sql } from '@sextant/db';
import type { SQL } from 'drizzle-orm';
import { DORA_LIMITS } from '../limits';
import type { DoraGetInput } from '../schemas/dora';
import {
  type DoraDeployment,
  type DoraFigures,
  type DoraIncident,
  type DoraWindow,
  type DoraWindowDays,
  doraFigures,
  doraWindow,
  inWindow,
} from './dora';
import { resolveService } from './releases';

type Scope = { kind: 'all' } | { kind: 'service'; id: string } | { kind: 'team'; team: string };

interface Rows {
  deployments: DoraDeployment[];
  /** Incidents with the services they concern (impacted in production, or owning a linked deployment). */
  incidents: (DoraIncident & { serviceIds: string[] })[];
}

/** Which services' rows a query keeps; `s` is the services alias. */
function scopeFilter(scope: Scope): SQL {
  if (scope.kind === 'service') return sql`s.id = ${scope.id}::uuid`;
  if (scope.kind === 'team') return sql`lower(s.owner) = lower(${scope.team})`;
  return sql`true`;
}

type CommitJson = { sha: string; at: string };
const commitsOf = (json: CommitJson[] | null) =>
  (json ?? []).map((c) => ({ sha: c.sha, committedAt: new Date(c.at) }));

async function readRows(db: DbOrTx, scope: Scope, w: DoraWindow): Promise<Rows> {
  const from = w.from.toISOString();
  const to = w.to.toISOString();
  const inScope = scopeFilter(scope);
  // The window's finished production deployments of the scope (all three finished states count for CFR).
  const windowDeployments = sql`
    select d.id, d.service_id, d.release_id, d.state, d.finished_at
    from deployments d
    join services s on s.id = d.service_id
    join environments e on e.id = d.environment_id and e.is_production
    where ${inScope} and d.finished_at >= ${from}::timestamptz and d.finished_at < ${to}::timestamptz
      and d.state in ('succeeded', 'failed', 'rolled_back')`;
  type DeployRow = {
    id: string;
    serviceId: string;
    state: string;
    finishedAt: Date;
    commits: CommitJson[] | null;
  };
  type IncidentRow = {
    id: string;
    startedAt: Date;
    resolvedAt: Date | null;
    serviceIds: string[] | null;
    links: { id: string; serviceId: string; state: string; finishedAt: string | null }[] | null;
  };
  const [current, earlier, incidents] = await Promise.all([
    // Commits only where they can be a first deployment (succeeded), one aggregate per release.
    db.execute(sql`
      with w as (${windowDeployments})
      select w.id, w.service_id as "serviceId", w.state, w.finished_at as "finishedAt",
        case when w.state = 'succeeded' then (
          select json_agg(json_build_object('sha', c.sha, 'at', c.committed_at))
          from release_commits c where c.release_id = w.release_id) end as commits
      from w`) as unknown as Promise<DeployRow[]>,
    // Succeeded production deployments before the window that carried a window commit of the same service.
    db.execute(sql`
      with w as (${windowDeployments}),
      wc as (
        select distinct w.service_id, c.sha from w join release_commits c on c.release_id = w.release_id
        where w.state = 'succeeded')
      select d.id, d.service_id as "serviceId", d.state, d.finished_at as "finishedAt",
        json_agg(json_build_object('sha', c.sha, 'at', c.committed_at)) as commits
      from wc
      join release_commits c on c.sha = wc.sha
      join deployments d on d.release_id = c.release_id and d.service_id = wc.service_id
        and d.state = 'succeeded' and d.finished_at < ${from}::timestamptz
      join environments e on e.id = d.environment_id and e.is_production
      group by d.id`) as unknown as Promise<DeployRow[]>,
    // Incidents started in the window touching the scope in production, and any naming a window deployment.
    db.execute(sql`
      with w as (${windowDeployments}),
      ids as (
        select i.id from incidents i
        where i.started_at >= ${from}::timestamptz and i.started_at < ${to}::timestamptz
          and exists (
            select 1 from incident_impacts ii
            join services s on s.id = ii.service_id
            join environments e on e.id = ii.environment_id and e.is_production
            where ii.incident_id = i.id and ${inScope})
        union
        select l.incident_id from incident_deployments l join w on w.id = l.deployment_id)
      select i.id, i.started_at as "startedAt", i.resolved_at as "resolvedAt",
        (select array_agg(distinct ii.service_id) from incident_impacts ii
          join environments e on e.id = ii.environment_id and e.is_production
          where ii.incident_id = i.id) as "serviceIds",
        (select json_agg(json_build_object('id', d.id, 'serviceId', d.service_id, 'state', d.state,
            'finishedAt', d.finished_at))
          from incident_deployments l join deployments d on d.id = l.deployment_id
          join environments e on e.id = d.environment_id and e.is_production
          where l.incident_id = i.id) as links
      from incidents i join ids on ids.id = i.id`) as unknown as Promise<IncidentRow[]>,
  ]);
  const byId = new Map<string, DoraDeployment>();
  const add = (d: Omit<DoraDeployment, 'environmentIsProduction'>) => {
    const known = byId.get(d.id);
    // A deployment read twice (window and history, or via a link) is one, with its commits merged.
    if (known) known.commits = [...known.commits, ...d.commits];
    else byId.set(d.id, { ...d, environmentIsProduction: true });
  };
  for (const d of [...current, ...earlier])
    add({
      id: d.id,
      serviceId: d.serviceId,
      state: d.state as DoraDeployment['state'],
      finishedAt: new Date(d.finishedAt),
      commits: commitsOf(d.commits),
    });
  const rows: Rows['incidents'] = [];
  for (const i of incidents) {
    const links = i.links ?? [];
    // A linked deployment outside the window is history: its finish time starts the recovery, it counts nowhere.
    // One inside the window and not read above belongs to another scope, so it is left out.
    for (const l of links)
      if (!byId.has(l.id) && !inWindow(l.finishedAt ? new Date(l.finishedAt) : null, w))
        add({
          id: l.id,
          serviceId: l.serviceId,
          state: l.state as DoraDeployment['state'],
          finishedAt: l.finishedAt ? new Date(l.finishedAt) : null,
          commits: [],
        });
    rows.push({
      id: i.id,
      openedAt: new Date(i.startedAt),
      resolvedAt: i.resolvedAt ? new Date(i.resolvedAt) : null,
      linkedDeploymentIds: links.map((l) => l.id),
      serviceIds: [...new Set([...(i.serviceIds ?? []), ...links.map((l) => l.serviceId)])],
    });
  }
  return { deployments: [...byId.values()], incidents: rows };
}

async function scopeOf(db: DbOrTx, input: Pick<DoraGetInput, 'service' | 'team'>): Promise<Scope> {
  if (input.service) return { kind: 'service', id: (await resolveService(db, input.service)).id };
  if (input.team) return { kind: 'team', team: input.team };
  return { kind: 'all' };
}

/** The four keys of one service, one team or everything over the last `days`. */
export async function doraForScope(db: DbOrTx, input: DoraGetInput, now = new Date()) {
  const scope = await scopeOf(db, input);
  const window = doraWindow(input.days, now);
  const { deployments, incidents } = await readRows(db, scope, window);
  return { scope, window, days: input.days, figures: doraFigures({ deployments, incidents, window }) };
}

export interface DoraOverviewRow {
  serviceId: string;
  slug: string;
  name: string;
  owner: string | null;
  figures: DoraFigures;
}

function listOf<T>(map: Map<string, T[]>, key: string): T[] {
  const known = map.get(key);
  if (known) return known;
  const list: T[] = [];
  map.set(key, list);
  return list;
}

/** One row per service (by name, at most DORA_LIMITS.overviewServices) for the dashboard's table. */
export async function doraOverview(db: DbOrTx, days: DoraWindowDays, now = new Date()) {
  const window = doraWindow(days, now);
  const [services, rows] = await Promise.all([
    db.execute(sql`select id, slug, name, owner from services order by lower(name)
      limit ${DORA_LIMITS.overviewServices}`) as unknown as Promise<
      { id: string; slug: string; name: string; owner: string | null }[]
    >,
    readRows(db, { kind: 'all' }, window),
  ]);
  const deploymentsOf = new Map<string, DoraDeployment[]>();
  for (const d of rows.deployments) listOf(deploymentsOf, d.serviceId).push(d);
  const incidentsOf = new Map<string, DoraIncident[]>();
  for (const i of rows.incidents) for (const s of i.serviceIds) listOf(incidentsOf, s).push(i);
  const items: DoraOverviewRow[] = services.map((s) => ({
    serviceId: s.id,
    slug: s.slug,
    name: s.name,
    owner: s.owner,
    figures: doraFigures({
      deployments: deploymentsOf.get(s.id) ?? [],
      incidents: incidentsOf.get(s.id) ?? [],
      window,
    }),
  }));
  return { window, days, items };
}
