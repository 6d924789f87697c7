/**
 * Reliability facts of the services projects ship (issue 17 point 3): 30-day uptime, open incidents, DORA figures when
 * the service deployed to production in the window, and its last production deployment. A fixed number of queries
 * for any number of services, so the portfolio never loops per project.
 */
import { type DbOrTx, type Sql, sql } from '@sextant/db';
import type { DoraFigures } from '../dora';
import { doraForServices } from '../dora-reader';
import { combine, loadHistories, uptimeOf } from '../uptime';

const DAY = 86_400_000;

export interface ServiceFacts {
  serviceId: string;
  slug: string;
  name: string;
  /** up / (up + down) over the last 30 days, null when nothing was observed. */
  uptime30d: number | null;
  openIncidents: number;
  dora: DoraFigures | null;
  lastProductionDeployment: { at: string; version: string; environment: string } | null;
}

const uuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/** Facts by service id, for the given services (uuids). */
export async function serviceFacts(
  db: DbOrTx,
  pg: Sql,
  serviceIds: string[],
  now = new Date(),
): Promise<Map<string, ServiceFacts>> {
  const out = new Map<string, ServiceFacts>();
  if (serviceIds.length === 0) return out;
  const ids = uuidArray(serviceIds);
  const w = { from: new Date(now.getTime() - 30 * DAY), to: now };
  const [names, incidents, deploys, histories, dora] = await Promise.all([
    db.execute(sql`select id, slug, name from services where id = any(${ids}::uuid[])`) as unknown as Promise<
      { id: string; slug: string; name: string }[]
    >,
    db.execute(sql`
      select ii.service_id as "serviceId", count(distinct i.id)::int as open
      from incident_impacts ii join incidents i on i.id = ii.incident_id
      where ii.service_id = any(${ids}::uuid[]) and i.resolved_at is null
      group by ii.service_id`) as unknown as Promise<{ serviceId: string; open: number }[]>,
    // The newest succeeded production deployment per service (deployments_service_env_finished_idx).
    db.execute(sql`
      select distinct on (d.service_id) d.service_id as "serviceId", d.finished_at as at, r.version, e.name as environment
      from deployments d
      join environments e on e.id = d.environment_id and e.is_production
      join releases r on r.id = d.release_id
      where d.service_id = any(${ids}::uuid[]) and d.state = 'succeeded' and d.finished_at is not null
      order by d.service_id, d.finished_at desc`) as unknown as Promise<
      { serviceId: string; at: string | Date; version: string; environment: string }[]
    >,
    loadHistories(pg, serviceIds, w),
    doraForServices(db, serviceIds, 30, now),
  ]);
  const openOf = new Map(incidents.map((r) => [r.serviceId, r.open]));
  const deployOf = new Map(deploys.map((r) => [r.serviceId, r]));
  for (const s of names) {
    const d = deployOf.get(s.id);
    const hs = histories.get(s.id) ?? [];
    out.set(s.id, {
      serviceId: s.id,
      slug: s.slug,
      name: s.name,
      uptime30d: hs.length > 0 ? combine(hs.map((h) => uptimeOf(h, w))).uptime : null,
      openIncidents: openOf.get(s.id) ?? 0,
      dora: dora.get(s.id) ?? null,
      lastProductionDeployment: d
        ? { at: new Date(d.at).toISOString(), version: d.version, environment: d.environment }
        : null,
    });
  }
  return out;
}
