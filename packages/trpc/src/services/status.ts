import type { Context } from '../context';
import type { StatusPageComponentView } from './status-page-view';
import { viewAllPublicServices } from './status-pages';

/** The words the original status page used for a service's state. */
function legacyStatus(c: StatusPageComponentView) {
  if (c.status === 'major_outage' || c.status === 'partial_outage') return 'down';
  if (c.status === 'degraded_performance') return 'degraded';
  if (c.status === 'under_maintenance') return 'maintenance';
  return c.noData ? 'unknown' : 'up';
}

/**
 * The public status page: the status page builder on the virtual page of every public service in every
 * environment, answered in the original shape (plus the view itself as `page`). No URLs, hosts, error messages or check names ever leave here.
 */
export async function publicStatus(ctx: Pick<Context, 'sql' | 'runtime'>) {
  const view = await viewAllPublicServices(ctx);
  const services = view.groups.flatMap((g) =>
    g.components.map((c) => ({
      name: c.name,
      slug: c.key,
      status: legacyStatus(c),
      bars: c.bars.map((b) => ({ day: b.day, uptime: b.uptime })),
    })),
  );
  const overall: 'operational' | 'degraded' | 'outage' =
    view.overall === 'major_outage' || view.overall === 'partial_outage'
      ? 'outage'
      : view.overall === 'degraded_performance'
        ? 'degraded'
        : 'operational';
  return {
    overall,
    services,
    incidents: view.activeIncidents.map((i) => ({ title: i.title, startedAt: i.startedAt })),
    generatedAt: view.generatedAt,
    /** The whole view, so the console renders /status and /status/<slug> with one set of components. */
    page: view,
  };
}
