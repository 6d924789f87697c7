/**
 * An alert's state at a given `now`, the one definition the Alerts page, `GET /api/v2/alerts` and muting share:
 * rule alerts are as the engine wrote them; an external alert is resolved once its endsAt has passed (spec A3.1),
 * though no write happens at that moment.
 */
import { inArray, schema, sql } from '@sextant/db';
import type { AlertState } from '@sextant/db/enums';

const i = schema.alertInstances;

/** States that count as firing: sent to notifiers, and inhibiting others (a recovering alert still fires). */
export const FIRING_STATES: readonly AlertState[] = ['firing', 'recovering'];

/** The instance's state at `now`, as SQL over alert_instances. */
export const stateAt = (now: Date) =>
  sql<AlertState>`(case when ${i.source} = 'external' and ${i.endsAt} <= ${now.toISOString()}::timestamptz then 'resolved' else ${i.state}::text end)`;

/** Instances firing at `now` (firing or recovering), as a SQL condition. */
export const firingAt = (now: Date) => inArray(stateAt(now), [...FIRING_STATES]);

/** stateAt's external-alert rule in memory: an alert firing at some earlier instant still fires at `now`. */
export const stillFiringAt = (a: { source: string; endsAt: Date | null }, now: Date) =>
  !(a.source === 'external' && a.endsAt !== null && a.endsAt <= now);
