import { type AlertState, schema, sql } from '@sextant/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeContext } from '../../src/context';
import { fingerprint } from '../../src/services/alerting/fingerprint';
import { createInhibitionRule, setInhibitionRuleEnabled } from '../../src/services/alerting/inhibition-store';
import { type AlertMutes, mutesAt, mutesFor, previewSilenceAlerts } from '../../src/services/alerting/muting';
import { createSilence, expireSilence } from '../../src/services/alerting/silence-store';
import { insertAlertRule } from '../../src/testing/fixtures';
import { createFixture, type Fixture } from '../fixtures';
import { m } from './helpers';

/**
 * Spec B20–B21 through mutesFor, over rows in alert_instances (inserted directly: tests are exempt from
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
  await fx.database.primary.execute(
    sql`truncate alert_instances, silences, inhibition_rules, alert_rules cascade`,
  );
});

const T0 = Date.UTC(2026, 10, 30, 12);
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const TEST1 = { alertname: 'test1', job: 'testjob', zone: 'aa' };
const DOWN_AA = { alertname: 'InstanceDown', job: 'testjob', zone: 'aa' };
const DOWN_AB = { alertname: 'InstanceDown', job: 'testjob', zone: 'ab' };
const JOB_AA = { alertname: 'JobDown', job: 'testjob', zone: 'aa' };

/**
 * Sets an alert's state as the engine (with `ruleId`) or the ingest would leave it, one row per rule and
 * fingerprint; an external alert with `endsAt` is resolved from then on without a write. Returns its id.
 */
async function put(
  labels: Record<string, string>,
  state: AlertState,
  since: Date,
  o: { ruleId?: string; endsAt?: Date } = {},
) {
  const [row] = await fx.database.primary
    .insert(schema.alertInstances)
    .values({
      source: o.ruleId ? 'rule' : 'external',
      ruleId: o.ruleId ?? null,
      fingerprint: fingerprint(labels),
      labels,
      state,
      reason: 'test',
      activeAt: since,
      endsAt: o.endsAt ?? null,
    })
    .onConflictDoUpdate(
      o.ruleId
        ? {
            target: [schema.alertInstances.ruleId, schema.alertInstances.fingerprint],
            targetWhere: sql`rule_id is not null`,
            set: { state },
          }
        : {
            target: schema.alertInstances.fingerprint,
            targetWhere: sql`source = 'external'`,
            set: { state },
          },
    )
    .returning({ id: schema.alertInstances.id });
  return row!.id;
}

/**
 * What the Alerts page would show at `now` for the listed alerts (every stored one unless `only` names some by
 * alertname(zone)): each muted alert's alertname/zone and what mutes it.
 */
async function mutedAt(now: Date, only?: string[]) {
  const stored = await fx.database.primary.select().from(schema.alertInstances);
  const name = (id: string) => {
    const l = stored.find((a) => a.id === id)!.labels;
    return `${l.alertname}(${l.zone ?? ''})`;
  };
  const listed = only ? stored.filter((a) => only.includes(name(a.id))) : stored;
  const mutes = await mutesFor(fx.database.primary, listed, now);
  return Object.fromEntries(
    [...mutes].map(([id, s]) => [
      name(id),
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

    const jobDown = await put(JOB_AA, 'firing', at(2.2));
    expect(await mutedAt(at(3))).toEqual({ 'InstanceDown(aa)': ['inhibited by JobDown(aa)'] });
    // Listed alone (a page filtered to the target), it is still inhibited by the unlisted source.
    const target = await put(DOWN_AA, 'firing', at(1));
    const mutes = await mutesFor(fx.database.primary, [{ id: target, labels: DOWN_AA }], at(3));
    expect(mutes.get(target)).toEqual({
      silencedBy: [],
      inhibitedBy: [
        {
          ruleId: rule.id,
          sourceId: jobDown,
          source: { id: jobDown, fingerprint: fingerprint(JOB_AA), ruleId: null, alertname: 'JobDown' },
        },
      ],
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

describe('inhibition sources are every alert firing at now, rule or external', () => {
  it('a firing external alert inhibits a rule alert, and a rule alert an external one', async () => {
    await jobDownRule();
    const instanceDown = await insertAlertRule(fx.database.primary, 'InstanceDown');
    await put(DOWN_AA, 'firing', at(1), { ruleId: instanceDown.id });
    await put(JOB_AA, 'firing', at(1));
    expect(await mutedAt(at(2), ['InstanceDown(aa)'])).toEqual({
      'InstanceDown(aa)': ['inhibited by JobDown(aa)'],
    });

    await fx.database.primary.execute(sql`truncate alert_instances`);
    const jobDown = await insertAlertRule(fx.database.primary, 'JobDown');
    await put(DOWN_AB, 'firing', at(1));
    await put({ ...JOB_AA, zone: 'ab' }, 'firing', at(1), { ruleId: jobDown.id });
    expect(await mutedAt(at(2), ['InstanceDown(ab)'])).toEqual({
      'InstanceDown(ab)': ['inhibited by JobDown(ab)'],
    });
  });

  it('an external source inhibits until its endsAt, then no longer, with no write in between', async () => {
    await jobDownRule();
    const instanceDown = await insertAlertRule(fx.database.primary, 'InstanceDown');
    await put(DOWN_AA, 'firing', at(1), { ruleId: instanceDown.id });
    await put(JOB_AA, 'firing', at(1), { endsAt: at(300) });
    expect(await mutedAt(at(299), ['InstanceDown(aa)'])).toEqual({
      'InstanceDown(aa)': ['inhibited by JobDown(aa)'],
    });
    expect(await mutedAt(at(300), ['InstanceDown(aa)'])).toEqual({});
  });

  it('the same fingerprint under two rules is two alerts: each is muted on its own', async () => {
    await jobDownRule();
    const [a, b] = [
      await insertAlertRule(fx.database.primary, 'a'),
      await insertAlertRule(fx.database.primary, 'b'),
    ];
    const underA = await put(DOWN_AA, 'firing', at(1), { ruleId: a.id });
    const underB = await put(DOWN_AA, 'pending', at(1), { ruleId: b.id });
    const silence = await createSilence(
      ctx,
      { matchers: [m('alertname', '=', 'InstanceDown')], endsAt: at(60), comment: 'c' },
      at(0),
    );
    const mutes = await mutesFor(
      fx.database.primary,
      [
        { id: underA, labels: DOWN_AA },
        { id: underB, labels: DOWN_AA },
      ],
      at(1),
    );
    expect([...mutes.keys()].sort()).toEqual([underA, underB].sort());
    expect(mutes.get(underB)?.silencedBy).toEqual([silence.id]);
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

describe('silences in mutesFor and the preview', () => {
  it('only silences active at now mute; a silenced source still inhibits', async () => {
    await jobDownRule();
    await put(DOWN_AA, 'firing', at(1));
    const jobDown = await put(JOB_AA, 'firing', at(1));
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
    const mutes = await mutesFor(fx.database.primary, [{ id: jobDown, labels: JOB_AA }], at(90));
    expect(mutes.get(jobDown)?.silencedBy).toEqual([silence.id]);
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

describe('mutesAt: alerts seen at different instants in one call (a flush batch)', () => {
  it('each instant keeps its own active silences and firing sources, as mutesFor at that instant', async () => {
    await jobDownRule();
    const instanceDown = await insertAlertRule(fx.database.primary, 'InstanceDown');
    const target = await put(DOWN_AA, 'firing', at(1), { ruleId: instanceDown.id });
    await put(JOB_AA, 'firing', at(1), { endsAt: at(300) });
    await createSilence(
      ctx,
      { matchers: [m('alertname', '=', 'InstanceDown')], startsAt: at(100), endsAt: at(200), comment: 'c' },
      at(0),
    );
    const instants = [at(50), at(150), at(350)];
    const batch = await mutesAt(
      fx.database.primary,
      instants.map((now) => ({ id: target, labels: DOWN_AA, at: now })),
    );
    const shown = (s: AlertMutes | undefined) => [s?.inhibitedBy.length ?? 0, s?.silencedBy.length ?? 0];
    expect(instants.map((now) => shown(batch.get(now.getTime())?.get(target)))).toEqual([
      [1, 0],
      [1, 1],
      [0, 0],
    ]);
    for (const now of instants)
      expect(batch.get(now.getTime())).toEqual(
        await mutesFor(fx.database.primary, [{ id: target, labels: DOWN_AA }], now),
      );
  });
});
