/**
 * Reads the DORA four keys of one service, one team (services.owner) or everything from Postgres: production-marked
 * environments only (requirement 13). Counts are aggregated in SQL per service (deploys, finished, failed or
 * incident-linked, one finish time per deploy day); for the medians only the values are fetched: each commit's
 * lead time (its first succeeded production deployment, stored in commit_first_deploys, minus its commit time) and
 * the window's incidents with their production links. Indexes: deployments_env_finished_idx /
 * _service_env_finished_idx, commit_first_deploys_deployed_idx, incidents_started_idx,
 * incident_deployments_deployment_idx.
 * services/dora-samples.ts turns the samples into figures with the calculator's own definitions.
 */
import { type DbOrTx, sql } from '@sextant/db';
import type { SQL } from 'drizzle-orm';
import { DORA_LIMITS } from '../limits';
import type { DoraGetInput } from '../schemas/dora';
import { type DoraFigures, type DoraWindow, type DoraWindowDays, doraWindow } from './dora';
import { figuresFromSamples, type IncidentSample, type ServiceSample } from './dora-samples';
import { resolveService } from './releases';

type Scope =
  | { kind: 'all' }
  | { kind: 'service'; id: string }
  | { kind: 'team'; team: string }
  | { kind: 'services'; ids: string[] };

/** Which services' rows a query keeps; `s` is the services alias. */
function scopeFilter(scope: Scope): SQL {
  if (scope.kind === 'service') return sql`s.id = ${scope.id}::uuid`;
  if (scope.kind === 'team') return sql`lower(s.owner) = lower(${scope.team})`;
  if (scope.kind === 'services') return sql`s.id = any(${`{${scope.ids.join(',')}}`}::uuid[])`;
  return sql`true`;
}

type Num = number | string;
const nums = (xs: Num[] | null) => (xs ?? []).map(Number);

interface IncidentRow {
  id: string;
  startedAt: Date;
  resolvedAt: Date | null;
  serviceIds: string[] | null;
  links: { serviceId: string; finishedAt: string }[] | null;
}

async function readSamples(db: DbOrTx, scope: Scope, w: DoraWindow) {
  const from = w.from.toISOString();
  const to = w.to.toISOString();
  const inScope = scopeFilter(scope);
  // The window's finished production deployments of the scope.
  const windowDeployments = sql`
    select d.id, d.service_id, d.release_id, d.state, d.finished_at
    from deployments d
    join services s on s.id = d.service_id
    join environments e on e.id = d.environment_id and e.is_production
    where ${inScope} and d.finished_at >= ${from}::timestamptz and d.finished_at < ${to}::timestamptz
      and d.state in ('succeeded', 'failed', 'rolled_back')`;
  const [counts, gaps, incidents, members] = await Promise.all([
    db.execute(sql`
      with w as (${windowDeployments}),
      per_service as (
        select w.service_id, count(*) filter (where w.state = 'succeeded')::int as deployed,
          count(*)::int as finished,
          count(*) filter (where w.state <> 'succeeded'
            or exists (select 1 from incident_deployments l where l.deployment_id = w.id))::int as failed
        from w group by w.service_id),
      -- One finish time per UTC day with a succeeded deployment, per service.
      days as (
        select service_id, array_agg(extract(epoch from at)::float8 * 1000) as days
        from (select service_id, min(finished_at) as at from w where state = 'succeeded'
          group by service_id, date_trunc('day', finished_at at time zone 'UTC')) x
        group by service_id)
      select p.service_id as "serviceId", p.deployed, p.finished, p.failed, days.days as "deployDays"
      from per_service p left join days on days.service_id = p.service_id`) as unknown as Promise<
      (Omit<ServiceSample, 'deployDays' | 'gaps'> & { deployDays: Num[] | null })[]
    >,
    // Each commit whose first succeeded production deployment (commit_first_deploys, kept on every write)
    // finished in the window: a range scan on commit_first_deploys_deployed_idx, history not read.
    db.execute(sql`
      select f.service_id as "serviceId",
        array_agg(extract(epoch from f.deployed_at - f.committed_at)::float8 * 1000) as gaps
      from commit_first_deploys f join services s on s.id = f.service_id
      where ${inScope} and f.deployed_at >= ${from}::timestamptz and f.deployed_at < ${to}::timestamptz
        and f.deployed_at > f.committed_at
      group by f.service_id`) as unknown as Promise<{ serviceId: string; gaps: Num[] | null }[]>,
    // Incidents started in the window impacting the scope in production or naming one of its deployments.
    db.execute(sql`
      select i.id, i.started_at as "startedAt", i.resolved_at as "resolvedAt",
        (select array_agg(distinct ii.service_id) from incident_impacts ii
          join environments e on e.id = ii.environment_id and e.is_production
          where ii.incident_id = i.id) as "serviceIds",
        (select json_agg(json_build_object('serviceId', d.service_id, 'finishedAt', d.finished_at))
          from incident_deployments l join deployments d on d.id = l.deployment_id
          join environments e on e.id = d.environment_id and e.is_production
          where l.incident_id = i.id and d.finished_at is not null
            and d.state in ('succeeded', 'failed', 'rolled_back')) as links
      from incidents i
      where i.started_at >= ${from}::timestamptz and i.started_at < ${to}::timestamptz
        and (exists (
            select 1 from incident_impacts ii join services s on s.id = ii.service_id
            join environments e on e.id = ii.environment_id and e.is_production
            where ii.incident_id = i.id and ${inScope})
          or exists (
            select 1 from incident_deployments l join deployments d on d.id = l.deployment_id
            join services s on s.id = d.service_id
            join environments e on e.id = d.environment_id and e.is_production
            where l.incident_id = i.id and ${inScope}))
      limit ${DORA_LIMITS.incidentsRead}`) as unknown as Promise<IncidentRow[]>,
    scope.kind === 'team'
      ? (db.execute(sql`select s.id from services s where ${inScope}`) as unknown as Promise<
          { id: string }[]
        >)
      : Promise.resolve([]),
  ]);
  const gapsOf = new Map(gaps.map((g) => [g.serviceId, nums(g.gaps)]));
  const services: ServiceSample[] = counts.map((c) => ({
    ...c,
    deployDays: nums(c.deployDays),
    gaps: gapsOf.get(c.serviceId) ?? [],
  }));
  const incidentSamples = incidents.map((i) => ({
    id: i.id,
    startedAt: new Date(i.startedAt),
    resolvedAt: i.resolvedAt ? new Date(i.resolvedAt) : null,
    links: (i.links ?? []).map((l) => ({ serviceId: l.serviceId, finishedAt: new Date(l.finishedAt) })),
    serviceIds: [...new Set([...(i.serviceIds ?? []), ...(i.links ?? []).map((l) => l.serviceId)])],
  }));
  const team = new Set(members.map((m) => m.id));
  const listed = new Set(scope.kind === 'services' ? scope.ids : []);
  const inScopeFn = (id: string) =>
    scope.kind === 'all' ||
    (scope.kind === 'service' ? id === scope.id : scope.kind === 'services' ? listed.has(id) : team.has(id));
  return { services, incidents: incidentSamples, inScope: inScopeFn };
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
  const samples = await readSamples(db, scope, window);
  return { scope, window, days: input.days, figures: figuresFromSamples(samples, window) };
}

/**
 * The four keys of each of `serviceIds` (uuids) over the last `days`, from one read of their samples (project
 * dashboards); a service with no production deployment in the window has no entry.
 */
export async function doraForServices(
  db: DbOrTx,
  serviceIds: string[],
  days: DoraWindowDays,
  now = new Date(),
) {
  const out = new Map<string, DoraFigures>();
  if (serviceIds.length === 0) return out;
  const window = doraWindow(days, now);
  const samples = await readSamples(db, { kind: 'services', ids: serviceIds }, window);
  for (const own of samples.services) {
    const incidents = samples.incidents.filter((i) => i.serviceIds.includes(own.serviceId));
    const inScope = (id: string) => id === own.serviceId;
    out.set(own.serviceId, figuresFromSamples({ services: [own], incidents, inScope }, window));
  }
  return out;
}

export interface DoraOverviewRow {
  serviceId: string;
  slug: string;
  name: string;
  owner: string | null;
  figures: DoraFigures;
}

/** One row per service (by name, at most DORA_LIMITS.overviewServices) for the dashboard's table. */
export async function doraOverview(db: DbOrTx, days: DoraWindowDays, now = new Date()) {
  const window = doraWindow(days, now);
  const [services, samples] = await Promise.all([
    db.execute(sql`select id, slug, name, owner from services order by lower(name)
      limit ${DORA_LIMITS.overviewServices}`) as unknown as Promise<
      { id: string; slug: string; name: string; owner: string | null }[]
    >,
    readSamples(db, { kind: 'all' }, window),
  ]);
  const sampleOf = new Map(samples.services.map((s) => [s.serviceId, s]));
  const incidentsOf = new Map<string, IncidentSample[]>();
  for (const i of samples.incidents)
    for (const id of i.serviceIds) {
      const list = incidentsOf.get(id);
      if (list) list.push(i);
      else incidentsOf.set(id, [i]);
    }
  const items: DoraOverviewRow[] = services.map((s) => {
    const own = sampleOf.get(s.id);
    return {
      serviceId: s.id,
      slug: s.slug,
      name: s.name,
      owner: s.owner,
      figures: figuresFromSamples(
        {
          services: own ? [own] : [],
          incidents: incidentsOf.get(s.id) ?? [],
          inScope: (id) => id === s.id,
        },
        window,
      ),
    };
  });
  return { window, days, items };
}
