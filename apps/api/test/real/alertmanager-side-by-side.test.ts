import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingBinaries } from './binaries';
import { alertmanagerSide, ROOT_RECEIVER } from './side-by-side/alertmanager';
import { CASES } from './side-by-side/cases';
import {
  canonical,
  type Delivery,
  deliveriesOf,
  type Side,
  summary,
  timelineText,
} from './side-by-side/timeline';
import { type Collector, startCollector } from './webhook-collector';

const missing = missingBinaries();
// The binaries are part of the suite, like Chromium for e2e: missing ones fail it, saying how to get them.
if (missing.length > 0)
  throw new Error(
    `test/real: ${missing.join(' and ')} missing. Run \`node apps/api/scripts/ensure-prometheus.mjs\` as root.`,
  );

const summaries = (phases: Delivery[][]) => canonical(phases.map((p) => p.map(summary)));
/** Everything but the arrival time, which is logged and never compared. */
const content = (phases: Delivery[][]) => phases.map((p) => p.map(({ at: _at, ...rest }) => rest));

describe('side by side with Alertmanager 0.25: the spec timelines replayed on both', () => {
  const collectors: Collector[] = [];
  const sides: Side[] = [];
  const stops: (() => Promise<void>)[] = [];
  let t0 = 0;

  beforeAll(async () => {
    const [amCollector] = await Promise.all([startCollector()]);
    collectors.push(amCollector!);
    const am = await alertmanagerSide(CASES, amCollector!);
    stops.push(() => am.am.stop());
    sides.push(am);
    // Every case starts together, each with its own labels, routes and receivers.
    t0 = Date.now() + 500;
    await Promise.all(
      CASES.map((c) => import('./side-by-side/timeline').then((t) => t.replay(c, sides, t0))),
    );
    // A delivery in flight at a case's end still counts.
    await new Promise((r) => setTimeout(r, 500));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(stops.map((s) => s()));
    await Promise.all(collectors.map((c) => c.close()));
  });

  it.each(CASES)('$name: $title', (c) => {
    const am = deliveriesOf(c, collectors[0]!.received, t0);
    console.log(`${c.name} Alertmanager: ${timelineText(am)}`);
    expect(summaries(am), `Alertmanager 0.25 sends what spec ${c.name} says`).toEqual(canonical(c.expected));
    expect(content(am).flat().length).toBeGreaterThan(0);
  });

  it('nothing reaches the root receiver: every alert took its case route', () => {
    for (const collector of collectors)
      expect(collector.received.filter((r) => r.path === `/${ROOT_RECEIVER}`)).toEqual([]);
  });
});
