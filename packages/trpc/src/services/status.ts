import { asc, eq, schema } from '@sextant/db';
import type { Context } from '../context';
import { serviceStates } from './services';
import { dailyBars } from './uptime';

/**
 * The public status page: only services an admin marked public, and only name, state and daily uptime.
 * No URLs, hosts, error messages or check names ever leave through here.
 */
export async function publicStatus(ctx: Pick<Context, 'db' | 'sql'>) {
  const rows = await ctx.db
    .select({ id: schema.services.id, name: schema.services.name, slug: schema.services.slug })
    .from(schema.services)
    .where(eq(schema.services.isPublic, true))
    .orderBy(asc(schema.services.name));
  const ids = rows.map((r) => r.id);
  const [states, bars] = await Promise.all([serviceStates(ctx.sql, ids), dailyBars(ctx.sql, ids)]);
  const services = rows.map((r) => ({
    name: r.name,
    slug: r.slug,
    status: states.get(r.id)?.status ?? 'unknown',
    bars: (bars.get(r.id) ?? []).map((b) => ({ day: b.day, uptime: b.uptime })),
  }));
  const overall: 'operational' | 'degraded' | 'outage' = services.some((s) => s.status === 'down')
    ? 'outage'
    : services.some((s) => s.status === 'degraded')
      ? 'degraded'
      : 'operational';
  // Incidents arrive with their own feature; until then there are none to show.
  return {
    overall,
    services,
    incidents: [] as { title: string; startedAt: Date }[],
    generatedAt: new Date(),
  };
}
