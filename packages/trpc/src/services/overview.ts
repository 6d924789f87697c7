import { asc, desc, eq, schema } from '@sextant/db';
import type { Context } from '../context';
import { serviceStates } from './services';

const { services, monitorEvents, checks, heartbeats } = schema;

/** What the Overview shows first: the worst state on top, then by name. */
const STATE_RANK = { down: 0, degraded: 1, unknown: 2, up: 3 } as const;
/** State changes the Overview lists, newest first. */
export const OVERVIEW_EVENTS = 20;

/** Every service with its worst current state, the ones not up first, and the latest state changes. */
export async function overview(ctx: Pick<Context, 'db' | 'sql'>) {
  const [rows, events] = await Promise.all([
    ctx.db
      .select({ id: services.id, name: services.name, slug: services.slug, tier: services.tier })
      .from(services)
      .orderBy(asc(services.name)),
    ctx.db
      .select({
        id: monitorEvents.id,
        at: monitorEvents.at,
        from: monitorEvents.fromStatus,
        to: monitorEvents.toStatus,
        cause: monitorEvents.cause,
        previousDurationMs: monitorEvents.previousDurationMs,
        service: { name: services.name, slug: services.slug },
        checkName: checks.name,
        heartbeatName: heartbeats.name,
      })
      .from(monitorEvents)
      .innerJoin(services, eq(services.id, monitorEvents.serviceId))
      .leftJoin(checks, eq(checks.id, monitorEvents.checkId))
      .leftJoin(heartbeats, eq(heartbeats.id, monitorEvents.heartbeatId))
      // Recorded order, on the primary key: no index covers `at` across all services.
      .orderBy(desc(monitorEvents.id))
      .limit(OVERVIEW_EVENTS),
  ]);
  const states = await serviceStates(
    ctx.sql,
    rows.map((r) => r.id),
  );
  const withState = rows.map((r) => ({
    ...r,
    status: states.get(r.id) ?? { status: 'unknown' as const, monitors: 0, down: 0 },
  }));
  // Stable sort: names stay in order within a state.
  withState.sort((a, b) => STATE_RANK[a.status.status] - STATE_RANK[b.status.status]);
  const counts = { down: 0, degraded: 0, unknown: 0, up: 0 };
  for (const s of withState) counts[s.status.status] += 1;
  return {
    counts,
    services: withState,
    events: events.map(({ checkName, heartbeatName, ...e }) => ({
      ...e,
      monitor: checkName ?? heartbeatName,
    })),
  };
}

export type Overview = Awaited<ReturnType<typeof overview>>;
