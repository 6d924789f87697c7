import { and, type DbOrTx, eq, gte, schema } from '@sextant/db';
import type { IncidentStatsInput } from '../schemas/incidents';
import { incidentDurations, type SpanFigures, spanFigures } from './incident-times';

const { incidents, incidentImpacts, services } = schema;

export interface ServiceIncidentStats {
  serviceId: string;
  slug: string;
  name: string;
  /** Incidents that started in the window and affect the service (in any environment), each counted once. */
  incidents: number;
  timeToAcknowledge: SpanFigures;
  timeToResolve: SpanFigures;
}

/**
 * Time to acknowledge and to resolve per service over the last `days`, from the incidents that name the service in
 * their impacts; most incidents first. Read only: incidents.ts stays the one writer of these tables.
 */
export async function incidentStatsByService(
  db: DbOrTx,
  input: IncidentStatsInput,
  now = new Date(),
): Promise<ServiceIncidentStats[]> {
  const since = new Date(now.getTime() - input.days * 86_400_000);
  const rows = await db
    .selectDistinct({
      incidentId: incidents.id,
      serviceId: services.id,
      slug: services.slug,
      name: services.name,
      startedAt: incidents.startedAt,
      detectedAt: incidents.detectedAt,
      acknowledgedAt: incidents.acknowledgedAt,
      resolvedAt: incidents.resolvedAt,
    })
    .from(incidentImpacts)
    .innerJoin(incidents, eq(incidents.id, incidentImpacts.incidentId))
    .innerJoin(services, eq(services.id, incidentImpacts.serviceId))
    .where(
      and(
        gte(incidents.startedAt, since),
        input.serviceId ? eq(incidentImpacts.serviceId, input.serviceId) : undefined,
      ),
    );
  const byService = new Map<
    string,
    { slug: string; name: string; tta: (number | null)[]; ttr: (number | null)[] }
  >();
  for (const r of rows) {
    const entry = byService.get(r.serviceId) ?? { slug: r.slug, name: r.name, tta: [], ttr: [] };
    const d = incidentDurations(r);
    entry.tta.push(d.timeToAcknowledgeMs);
    entry.ttr.push(d.timeToResolveMs);
    byService.set(r.serviceId, entry);
  }
  return [...byService]
    .map(([serviceId, e]) => ({
      serviceId,
      slug: e.slug,
      name: e.name,
      incidents: e.tta.length,
      timeToAcknowledge: spanFigures(e.tta),
      timeToResolve: spanFigures(e.ttr),
    }))
    .sort((a, b) => b.incidents - a.incidents || a.name.localeCompare(b.name));
}
