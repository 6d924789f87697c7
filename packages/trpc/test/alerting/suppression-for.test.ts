import { type AlertState, schema, sql } from '@sextant/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeContext } from '../../src/context';
import { fingerprint } from '../../src/services/alerting/fingerprint';
import { createInhibitionRule, setInhibitionRuleEnabled } from '../../src/services/alerting/inhibition-store';
import { previewSilenceAlerts, suppressionFor } from '../../src/services/alerting/muting';
import { createSilence, expireSilence } from '../../src/services/alerting/silence-store';
import { createFixture, type Fixture } from '../fixtures';
import { m } from './helpers';

/**
 * Spec B20–B21 through suppressionFor, over rows in alert_instances (inserted directly: tests are exempt from
 * table ownership) and stored rules and silences, on a fake clock.
 */
let fx: Fixture;
let ctx: ChangeContext;
beforeAll(async () => {
  fx = await createFixture();
  ctx = fx.ctx(fx.user('maintainer'));
});
afterAll(() => fx?.close());
beforeEach(async () => {
  await fx.database.primary.execute(sql`truncate alert_instances, silences, inhibition_rules`);
});

const T0 = Date.UTC(2026, 10, 30, 12);
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const TEST1 = { alertname: 'test1', job: 'testjob', zone: 'aa' };
const DOWN_AA = { alertname: 'InstanceDown', job: 'testjob', zone: 'aa' };
const DOWN_AB = { alertname: 'InstanceDown', job: 'testjob', zone: 'ab' };
const JOB_AA = { alertname: 'JobDown', job: 'testjob', zone: 'aa' };

/** Sets an external alert's state as ingest would leave it (one row per fingerprint). */
async function put(labels: Record<string, string>, state: AlertState, since: Date) {
  await fx.database.primary
    .insert(schema.alertInstances)
    .values({
      source: 'external',
      fingerprint: fingerprint(labels),
      labels,
      state,
      reason: 'test',
      activeAt: since,
    })
    .onConflictDoUpdate({
      target: schema.alertInstances.fingerprint,
      targetWhere: sql`source = 'external'`,
      set: { state },
    });
}

/** What the Alerts page would show at `now`: each stored alert's alertname/zone and what mutes it. */
async function mutedAt(now: Date) {
  const alerts = await fx.database.primary.select().from(schema.alertInstances);
  const mutes = await suppressionFor(fx.database.primary, alerts, now);
  const name = (fp: string) => {
    const l = alerts.find((a) => a.fingerprint === fp)!.labels;
    return `${l.alertname}(${l.zone ?? ''})`;
  };
  return Object.fromEntries(
    [...mutes].map(([fp, s]) => [
      name(fp),
      [
        ...s.inhibitedBy.map((i) => `inhibited by ${name(i.sourceId)}`),
        ...s.silencedBy.map(() => 'silenced'),
      ],
    ]),
  );
}

const jobDownRule = () =>
  createInhibitionRule(ctx, {
    name: 'JobDown inhibits InstanceDown',
    sourceMatchers: [m('alertname', '=', 'JobDown')],
    targetMatchers: [m('alertname', '=', 'InstanceDown')],
    equal: ['job', 'zone'],
  });

describe('B20 inhibition timeline (AM TestInhibiting)', () => {
  it('B20 JobDown(aa) mutes InstanceDown(aa) only while it fires; InstanceDown(ab) and test1 never', async () => {
    const rule = await jobDownRule();
    for (const labels of [TEST1, DOWN_AA, DOWN_AB]) await put(labels, 'firing', at(1));
    expect(await mutedAt(at(2))).toEqual({});

    await put(JOB_AA, 'firing', at(2.2));
    expect(await mutedAt(at(3))).toEqual({ 'InstanceDown(aa)': ['inhibited by JobDown(aa)'] });
    const mutes = await suppressionFor(
      fx.database.primary,
      [
        { fingerprint: fingerprint(DOWN_AA), labels: DOWN_AA, state: 'firing' },
        { fingerprint: fingerprint(JOB_AA), labels: JOB_AA, state: 'firing' },
      ],
      at(3),
    );
    expect(mutes.get(fingerprint(DOWN_AA))).toEqual({
      silencedBy: [],
      inhibitedBy: [{ ruleId: rule.id, sourceId: fingerprint(JOB_AA) }],
    });

    await put(JOB_AA, 'resolved', at(3.6));
    expect(await mutedAt(at(4))).toEqual({});
  });

  it('B20 a pending source does not inhibit; a recovering one (keep_firing_for) still does', async () => {
    await jobDownRule();
    await put(DOWN_AA, 'firing', at(1));
    await put(JOB_AA, 'pending', at(1));
    expect(await mutedAt(at(2))).toEqual({});
    await put(JOB_AA, 'recovering', at(1));
    expect(await mutedAt(at(2))).toEqual({ 'InstanceDown(aa)': ['inhibited by JobDown(aa)'] });
  });

  it('a disabled rule inhibits nothing', async () => {
    const rule = await jobDownRule();
    await put(DOWN_AA, 'firing', at(1));
    await put(JOB_AA, 'firing', at(1));
    await setInhibitionRuleEnabled(ctx, rule.id, false);
    expect(await mutedAt(at(2))).toEqual({});
  });
});

describe('B21 inhibition edge rules', () => {
  it('B21 an equal label missing on both sides still inhibits', async () => {
    await createInhibitionRule(ctx, {
      name: 'by cluster',
      sourceMatchers: [m('alertname', '=', 'JobDown')],
      targetMatchers: [m('alertname', '=', 'InstanceDown')],
      equal: ['cluster'],
    });
    await put(DOWN_AA, 'firing', at(1));
    await put(JOB_AA, 'firing', at(1));
    expect(await mutedAt(at(2))).toEqual({ 'InstanceDown(aa)': ['inhibited by JobDown(aa)'] });
  });

  it('B21 an alert matching both sides alone is not inhibited; two such alerts do not inhibit each other', async () => {
    await createInhibitionRule(ctx, {
      name: 'both sides',
      sourceMatchers: [m('job', '=', 'testjob')],
      targetMatchers: [m('zone', '=~', 'a.')],
      equal: ['job'],
    });
    await put(DOWN_AA, 'firing', at(1));
    expect(await mutedAt(at(2))).toEqual({});
    await put(DOWN_AB, 'firing', at(1));
    expect(await mutedAt(at(2))).toEqual({});
  });

  it('B21 source and target resolved together: neither is muted (one final notification with both)', async () => {
    await jobDownRule();
    await put(DOWN_AA, 'firing', at(1));
    await put(JOB_AA, 'firing', at(1));
    expect(await mutedAt(at(2))).toEqual({ 'InstanceDown(aa)': ['inhibited by JobDown(aa)'] });
    await put(DOWN_AA, 'resolved', at(1));
    await put(JOB_AA, 'resolved', at(1));
    expect(await mutedAt(at(3))).toEqual({});
  });
});

describe('silences in suppressionFor and the preview', () => {
  it('only silences active at now mute; a silenced source still inhibits', async () => {
    await jobDownRule();
    await put(DOWN_AA, 'firing', at(1));
    await put(JOB_AA, 'firing', at(1));
    const silence = await createSilence(
      ctx,
      { matchers: [m('alertname', '=', 'JobDown')], startsAt: at(60), endsAt: at(120), comment: 'c' },
      at(0),
    );
    expect(await mutedAt(at(30))).toEqual({ 'InstanceDown(aa)': ['inhibited by JobDown(aa)'] });
    expect(await mutedAt(at(60))).toEqual({
      'InstanceDown(aa)': ['inhibited by JobDown(aa)'],
      'JobDown(aa)': ['silenced'],
    });
    const mutes = await suppressionFor(
      fx.database.primary,
      [{ fingerprint: fingerprint(JOB_AA), labels: JOB_AA, state: 'firing' }],
      at(90),
    );
    expect(mutes.get(fingerprint(JOB_AA))?.silencedBy).toEqual([silence.id]);
    // The end is exclusive.
    expect(await mutedAt(at(120))).toEqual({ 'InstanceDown(aa)': ['inhibited by JobDown(aa)'] });
    await expireSilence(ctx, silence.id, at(70));
    expect(await mutedAt(at(80))).toEqual({ 'InstanceDown(aa)': ['inhibited by JobDown(aa)'] });
  });

  it('preview lists the unresolved alerts the matchers select, even for a draft that would be refused', async () => {
    for (const labels of [TEST1, DOWN_AA, DOWN_AB]) await put(labels, 'firing', at(1));
    await put(JOB_AA, 'resolved', at(1));
    const preview = await previewSilenceAlerts(
      fx.database.primary,
      { matchers: [m('job', '=', 'testjob'), m('alertname', '!=', 'test1')] },
      at(2),
    );
    expect(preview.state).toBe('active');
    expect(preview.alerts.map((a) => a.labels.zone).sort()).toEqual(['aa', 'ab']);
    const everything = await previewSilenceAlerts(
      fx.database.primary,
      { matchers: [m('job', '=~', '.*')], startsAt: at(60) },
      at(2),
    );
    expect(everything).toMatchObject({ state: 'pending', count: 3 });
  });
});
