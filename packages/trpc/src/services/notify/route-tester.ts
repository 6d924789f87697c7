/** "Which route would this alert take?" (spec A4): the routes, their resolved settings and where each came from. */
import { type Db, inArray, schema } from '@sextant/db';
import type { Labels } from '../alerting/matchers';
import { cadenceOf, nextSends } from './route-lint';
import { loadRouting } from './route-store';
import { groupKeyOf, groupLabelsOf, matchRoutes } from './routing';
import { routeMuteAt } from './time-intervals';

const { receivers } = schema;

export async function testRoute(db: Db, input: { labels: Labels; at?: Date }) {
  const routing = await loadRouting(db.$client);
  // A preview, not a decision: the caller's instant or the wall clock.
  const at = input.at ?? new Date();
  const matched = matchRoutes(routing.compiled, input.labels);
  const ids = [...new Set(matched.flatMap((r) => (r.receiverId ? [r.receiverId] : [])))];
  const names = new Map(
    (ids.length
      ? await db
          .select({ id: receivers.id, name: receivers.name })
          .from(receivers)
          .where(inArray(receivers.id, ids))
      : []
    ).map((r) => [r.id, r.name]),
  );
  return {
    version: routing.version,
    at,
    routes: matched.map((route) => {
      const groupLabels = groupLabelsOf(route, input.labels);
      return {
        id: route.id,
        path: route.path,
        matchers: route.matchers,
        continue: route.continue,
        receiverId: route.receiverId,
        /** Null with a receiverId: the receiver is gone; no receiver: this route notifies nobody. */
        receiverName: route.receiverId ? (names.get(route.receiverId) ?? null) : null,
        groupKey: groupKeyOf(route, groupLabels),
        groupLabels,
        settings: {
          groupBy: route.groupByAll ? ['...'] : route.groupBy,
          groupWaitSeconds: route.groupWaitMs / 1000,
          groupIntervalSeconds: route.groupIntervalMs / 1000,
          repeatIntervalSeconds: route.repeatIntervalMs / 1000,
          muteTimeIntervals: route.muteTimeIntervals,
          activeTimeIntervals: route.activeTimeIntervals,
          incident: route.incident,
        },
        inheritedFrom: route.inheritedFrom ?? {},
        mute: routeMuteAt(route, routing.intervals, at.getTime()),
        cadence: cadenceOf(route),
        nextSends: nextSends(route, at.getTime(), routing.intervals).map((ms) => new Date(ms)),
      };
    }),
  };
}
