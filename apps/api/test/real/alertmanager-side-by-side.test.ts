import { createTestDatabase } from '@sextant/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { missingBinaries } from './binaries';
import { alertmanagerSide, ROOT_RECEIVER } from './side-by-side/alertmanager';
import { CASES, type Case, receiverDelay } from './side-by-side/cases';
import { sextantSide } from './side-by-side/sextant';
import {
  canonical,
  type Delivery,
  deliveriesOf,
  replay,
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
/** Everything but the arrival and tick times, which are logged and never compared. */
const content = (phases: Delivery[][]) =>
  phases.map((p) => p.map(({ at: _at, tick: _tick, ...rest }) => rest));
/** The same without the phase: what was sent, whenever it was. */
const sent = (phases: Delivery[][]) =>
  content(phases).flatMap((p) => p.map(({ phase: _phase, ...rest }) => rest));

describe('side by side with Alertmanager 0.25: the spec timelines replayed on both', () => {
  let am: Collector;
  let ours: Collector;
  const stops: (() => Promise<void>)[] = [];
  const verdicts: string[] = [];
  let t0 = 0;

  beforeAll(async () => {
    [am, ours] = await Promise.all([
      startCollector(receiverDelay(CASES)),
      startCollector(receiverDelay(CASES)),
    ]);
    const databaseUrl = await createTestDatabase(inject('adminUrl'));
    const sides: Side[] = await Promise.all([
      alertmanagerSide(CASES, am).then((s) => {
        stops.push(() => s.am.stop());
        return s;
      }),
      sextantSide(CASES, ours, databaseUrl).then((s) => {
        stops.push(() => s.stop());
        return s;
      }),
    ]);
    // Every case starts together on both sides, each with its own labels, routes and receivers.
    // At .180 of a second, 1–2 s from now: Alertmanager writes it as .18, so every run checks that Sextant does too.
    const soon = Date.now() + 1_000;
    t0 = soon - (soon % 1_000) + 1_180;
    await Promise.all(CASES.map((c) => replay(c, sides, t0)));
    // A message its tick decided before a case's end counts even when it arrives after it.
    await new Promise((r) => setTimeout(r, 3_000));
  }, 90_000);

  afterAll(async () => {
    console.log(`case | Alertmanager 0.25 | Sextant | verdict\n${verdicts.join('\n')}`);
    await Promise.all(stops.map((s) => s()));
    await Promise.all([am, ours].map((c) => c?.close()));
  });

  const verdict = (c: Case, a: Delivery[][], o: Delivery[][], how: string) =>
    verdicts.push(
      `${c.name} | ${a.flat().length}: ${timelineText(a)} | ${o.flat().length}: ${timelineText(o)} | ${how}`,
    );

  it.each(CASES)('$name: $title', (c) => {
    const anchor = deliveriesOf(c, am.received, t0);
    const sextant = deliveriesOf(c, ours.received, t0);
    verdict(c, anchor, sextant, c.ours ? `differs by ${c.ours.rule}` : 'same');
    expect(summaries(anchor), `Alertmanager 0.25 sends what spec ${c.name} says`).toEqual(
      canonical(c.expected),
    );
    if (!c.ours) {
      expect(
        content(sextant),
        `${c.name}: Sextant sends what Alertmanager sends, in count, grouping (groupKey, groupLabels) and content`,
      ).toEqual(content(anchor));
      return;
    }
    expect(summaries(sextant), `${c.name} differs from Alertmanager by ${c.ours.rule}`).toEqual(
      canonical(c.ours.expected),
    );
    expect(summaries(sextant)).not.toEqual(summaries(anchor));
    // The rule moves or adds deliveries; whatever Alertmanager sent, Sextant sent too, field for field.
    const ourSent = sent(sextant);
    for (const delivery of sent(anchor))
      expect(
        ourSent,
        `${c.name}: Alertmanager's delivery is among Sextant's (${c.ours.rule})`,
      ).toContainEqual(delivery);
  });

  it('nothing reaches the root receiver: every alert took its case route', () => {
    for (const collector of [am, ours])
      expect(collector.received.filter((r) => r.path === `/${ROOT_RECEIVER}`)).toEqual([]);
  });

  it("Sextant's deliveries carry their idempotency key in the body and the header, each key once", () => {
    const keys = ours.received.map((r) => r.body.idempotencyKey);
    expect(keys.length).toBeGreaterThan(0);
    expect(ours.received.map((r) => r.headers['idempotency-key'])).toEqual(keys);
    expect(keys.every((k) => typeof k === 'string' && k.length > 0)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
