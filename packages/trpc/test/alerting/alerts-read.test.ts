import { eq, schema } from '@sextant/db';
import type { AlertState } from '@sextant/db/enums';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/root';
import { alertQuery, firingSpans } from '../../src/services/alerting/alert-chart';
import { listAlerts } from '../../src/services/alerting/alerts';
import { fingerprint } from '../../src/services/alerting/fingerprint';
import { createInhibitionRule } from '../../src/services/alerting/inhibition-store';
import { createSilence } from '../../src/services/alerting/silence-store';
import { createFixture, type Fixture } from '../fixtures';
import { m } from './helpers';

let f: Fixture;
const MIN = 60_000;
const now = Date.now();
const ago = (minutes: number) => new Date(now - minutes * MIN);

beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f?.close();
});

const viewer = () => appRouter.createCaller(f.ctx(f.user('viewer')));

async function rule(name: string, serviceId: string | null = null) {
  const [row] = await f.database.primary
    .insert(schema.alertRules)
    .values({
      name,
      kind: 'metric',
      serviceId,
      intervalSeconds: 60,
      condition: {
        kind: 'metric',
        metric: 'read_errors_total',
        fn: 'rate',
        matchers: [{ label: 'job', op: '=', value: 'api' }],
        by: ['route'],
        windowSeconds: 60,
        comparison: '>',
        threshold: 5,
        resolveThreshold: 3,
      },
    })
    .returning();
  return row!;
}

/** An instance written as the engine (or the ingest, with `source: 'external'`) would have. */
async function alert(
  ruleRow: { id: string; name: string } | null,
  state: AlertState,
  labels: Record<string, string>,
  at: { active: Date; fired?: Date; resolved?: Date; endsAt?: Date },
) {
  const all = { alertname: ruleRow?.name ?? labels.alertname ?? 'External', ...labels };
  const [row] = await f.database.primary
    .insert(schema.alertInstances)
    .values({
      source: ruleRow ? 'rule' : 'external',
      ruleId: ruleRow?.id ?? null,
      fingerprint: fingerprint(all),
      labels: all,
      annotations: { summary: `${all.alertname} on ${labels.route ?? '?'}` },
      state,
      reason: state === 'firing' ? 'ForElapsed' : 'ConditionMet',
      value: 7,
      activeAt: at.active,
      firedAt: at.fired ?? null,
      resolvedAt: at.resolved ?? null,
      startsAt: ruleRow ? null : at.active,
      endsAt: at.endsAt ?? null,
    })
    .returning();
  return row!;
}

describe('alerts.list', () => {
  it('puts firing first, newest first within a state, with since per state and the rule or external source', async () => {
    const r = await rule('ListOrder');
    const old = await alert(
      r,
      'firing',
      { route: '/a', severity: 'page' },
      { active: ago(60), fired: ago(50) },
    );
    const fresh = await alert(
      r,
      'firing',
      { route: '/b', severity: 'page' },
      { active: ago(20), fired: ago(10) },
    );
    const pending = await alert(r, 'pending', { route: '/c', severity: 'ticket' }, { active: ago(1) });
    const resolved = await alert(
      r,
      'resolved',
      { route: '/d' },
      { active: ago(90), fired: ago(80), resolved: ago(5) },
    );
    const recovering = await alert(r, 'recovering', { route: '/e' }, { active: ago(40), fired: ago(30) });
    const page = await viewer().alerts.list({ ruleId: r.id });
    expect(page.items.map((a) => a.id)).toEqual([fresh.id, old.id, recovering.id, pending.id, resolved.id]);
    expect(page.items.map((a) => a.since.getTime())).toEqual(
      [ago(10), ago(50), ago(30), ago(1), ago(5)].map((d) => d.getTime()),
    );
    expect(page.items[0]).toMatchObject({
      state: 'firing',
      reason: 'ForElapsed',
      value: 7,
      rule: { id: r.id, name: 'ListOrder', kind: 'metric' },
      silencedBy: [],
      inhibitedBy: [],
      labels: { alertname: 'ListOrder', route: '/b', severity: 'page' },
    });
    expect(page.nextCursor).toBeNull();
  });

  it('resolves an external alert once its endsAt has passed, without any write', async () => {
    const live = await alert(
      null,
      'firing',
      { alertname: 'ExtLive', job: 'ext' },
      { active: ago(30), endsAt: ago(-5) },
    );
    const over = await alert(
      null,
      'firing',
      { alertname: 'ExtOver', job: 'ext' },
      { active: ago(30), endsAt: ago(2) },
    );
    const page = await viewer().alerts.list({ text: 'ext' });
    const byId = new Map(page.items.map((a) => [a.id, a]));
    expect(byId.get(live.id)).toMatchObject({ state: 'firing', rule: null, source: 'external' });
    expect(byId.get(live.id)!.since).toEqual(ago(30));
    expect(byId.get(over.id)).toMatchObject({ state: 'resolved' });
    expect(byId.get(over.id)!.since).toEqual(ago(2));
    const firing = await viewer().alerts.list({ text: 'ext', state: ['firing'] });
    expect(firing.items.map((a) => a.id)).toEqual([live.id]);
  });

  it('filters by state, severity, text over label names and values, and service (its rules and its service label)', async () => {
    const [svc] = await f.database.primary
      .insert(schema.services)
      .values({ name: 'Checkout', slug: 'checkout' })
      .returning();
    const owned = await rule('SvcOwned', svc!.id);
    const other = await rule('SvcOther');
    const a = await alert(
      owned,
      'firing',
      { route: '/pay', severity: 'page' },
      { active: ago(3), fired: ago(2) },
    );
    const b = await alert(
      other,
      'firing',
      { route: '/x', service: 'checkout', severity: 'ticket' },
      { active: ago(3), fired: ago(2) },
    );
    const c = await alert(other, 'pending', { route: '/y', service: 'search' }, { active: ago(3) });
    const ids = async (input: Parameters<ReturnType<typeof viewer>['alerts']['list']>[0]) =>
      (await viewer().alerts.list(input)).items.map((x) => x.id).sort();
    expect(await ids({ service: 'checkout' })).toEqual([a.id, b.id].sort());
    expect(await ids({ service: svc!.id, severity: 'page' })).toEqual([a.id]);
    expect(await ids({ ruleId: other.id, state: ['pending'] })).toEqual([c.id]);
    // Text matches values and names, case-insensitively; % and _ are literal.
    expect(await ids({ ruleId: other.id, text: 'SEARCH' })).toEqual([c.id]);
    expect(await ids({ ruleId: owned.id, text: 'severity' })).toEqual([a.id]);
    expect(await ids({ ruleId: other.id, text: '%' })).toEqual([]);
    expect(await ids({ service: 'no-such-service' })).toEqual([]);
    await expect(viewer().alerts.forService({ service: 'no-such-service' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const firing = await viewer().alerts.forService({ service: 'checkout' });
    expect(firing.items.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('pages with a cursor that neither skips nor repeats rows', async () => {
    const r = await rule('Paged');
    const made = [];
    for (let k = 0; k < 7; k++)
      made.push(
        await alert(
          r,
          k % 2 ? 'pending' : 'firing',
          { route: `/p${k}` },
          { active: ago(30 - k), fired: ago(20 - k) },
        ),
      );
    // Two rows with the same since: the id breaks the tie.
    made.push(await alert(r, 'firing', { route: '/tie' }, { active: ago(30), fired: ago(20) }));
    const seen: string[] = [];
    let cursor: Awaited<ReturnType<ReturnType<typeof viewer>['alerts']['list']>>['nextCursor'] = null;
    do {
      const page = await viewer().alerts.list({ ruleId: r.id, limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await viewer().alerts.list({ ruleId: r.id, limit: 200 });
    expect(seen).toEqual(all.items.map((a) => a.id));
    expect(new Set(seen).size).toBe(made.length);
  });

  it('refuses unbounded input: page size, text length, malformed fingerprints and windows', async () => {
    const bad = [
      () => viewer().alerts.list({ limit: 201 }),
      () => viewer().alerts.list({ limit: 0 }),
      () => viewer().alerts.list({ text: 'x'.repeat(201) }),
      () => viewer().alerts.list({ state: [] }),
      () => viewer().alerts.get({ fingerprint: 'ZZZZ' }),
      () => viewer().alerts.chart({ fingerprint: '0123456789abcdef', from: ago(0), to: ago(10) }),
      () =>
        viewer().alerts.chart({
          fingerprint: '0123456789abcdef',
          from: new Date(now - 401 * 86_400_000),
          to: ago(0),
        }),
    ];
    for (const call of bad) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCError);
      expect((err as TRPCError).code).toBe('BAD_REQUEST');
    }
  });

  it('drops silenced or inhibited alerts on request and names what mutes them, with a link to the source', async () => {
    const r = await rule('Muted');
    const source = await alert(r, 'firing', { route: '/src' }, { active: ago(9), fired: ago(9) });
    const silenced = await alert(r, 'firing', { route: '/s' }, { active: ago(8), fired: ago(8) });
    const inhibited = await alert(r, 'firing', { route: '/i' }, { active: ago(7), fired: ago(7) });
    const plain = await alert(r, 'firing', { route: '/p' }, { active: ago(6), fired: ago(6) });
    const maintainer = f.ctx(f.user('maintainer'));
    const silence = await createSilence(
      maintainer,
      { matchers: [m('alertname', '=', 'Muted'), m('route', '=', '/s')], endsAt: ago(-60), comment: 'c' },
      ago(1),
    );
    const inhibition = await createInhibitionRule(maintainer, {
      name: 'Muted /src inhibits /i',
      sourceMatchers: [m('alertname', '=', 'Muted'), m('route', '=', '/src')],
      targetMatchers: [m('alertname', '=', 'Muted'), m('route', '=', '/i')],
      equal: ['alertname'],
    });
    const list = (silencedToo: boolean, inhibitedToo: boolean, limit = 50, text?: string) =>
      listAlerts(
        f.database.db,
        { ruleId: r.id, text, silenced: silencedToo, inhibited: inhibitedToo, limit },
        new Date(),
      );
    const all = await list(true, true);
    expect(all.items.map((a) => a.id)).toEqual([plain.id, inhibited.id, silenced.id, source.id]);
    expect(all.items.find((a) => a.id === silenced.id)!.silencedBy).toEqual([silence.id]);
    const inhibitedBy = [
      {
        inhibitionRuleId: inhibition.id,
        source: { fingerprint: source.fingerprint, ruleId: r.id, alertname: 'Muted' },
      },
    ];
    expect(all.items.find((a) => a.id === inhibited.id)!.inhibitedBy).toEqual(inhibitedBy);
    // A page without the source (filtered to the target) still shows the target inhibited, and by what.
    const targetOnly = await list(true, true, 50, '/i');
    expect(targetOnly.items.map((a) => [a.id, a.inhibitedBy])).toEqual([[inhibited.id, inhibitedBy]]);
    expect((await list(false, true)).items.map((a) => a.id)).toEqual([plain.id, inhibited.id, source.id]);
    expect((await list(true, false)).items.map((a) => a.id)).toEqual([plain.id, silenced.id, source.id]);
    // A short page still fills up past the dropped rows, and its cursor goes on after the last row read.
    const first = await list(false, false, 2);
    expect(first.items.map((a) => a.id)).toEqual([plain.id, source.id]);
    expect(first.nextCursor).toBeNull();
  });
});

describe('alerts.get and alerts.chart', () => {
  it('returns the instance, its history newest first and its rule; the history outlives the instance', async () => {
    const r = await rule('Detail');
    const labels = { alertname: 'Detail', route: '/d' };
    const fp = fingerprint(labels);
    const a = await alert(r, 'firing', { route: '/d' }, { active: ago(30), fired: ago(25) });
    expect(a.fingerprint).toBe(fp);
    await f.database.primary.insert(schema.alertTransitions).values([
      {
        ruleId: r.id,
        fingerprint: fp,
        labels,
        fromState: 'inactive',
        toState: 'pending',
        reason: 'ConditionMet',
        value: 6,
        at: ago(30),
      },
      {
        ruleId: r.id,
        fingerprint: fp,
        labels,
        fromState: 'pending',
        toState: 'firing',
        reason: 'ForElapsed',
        value: 7,
        at: ago(25),
      },
      // Another rule's history of the same fingerprint stays out.
      {
        ruleId: (await rule('Detail')).id,
        fingerprint: fp,
        labels,
        fromState: 'inactive',
        toState: 'pending',
        reason: 'ConditionMet',
        value: 1,
        at: ago(3),
      },
    ]);
    const got = await viewer().alerts.get({ fingerprint: fp, ruleId: r.id });
    expect(got.alert).toMatchObject({ id: a.id, state: 'firing' });
    expect(got.history.map((h) => [h.from, h.to, h.reason])).toEqual([
      ['pending', 'firing', 'ForElapsed'],
      ['inactive', 'pending', 'ConditionMet'],
    ]);
    expect(got.rule).toMatchObject({ id: r.id, name: 'Detail', kind: 'metric' });

    // Evicted: the instance is gone (only the engine deletes; the test stands in for it), the history stays.
    await f.database.primary.delete(schema.alertInstances).where(eq(schema.alertInstances.id, a.id));
    const gone = await viewer().alerts.get({ fingerprint: fp, ruleId: r.id });
    expect(gone.alert).toBeNull();
    expect(gone.labels).toEqual(labels);
    expect(gone.history).toHaveLength(2);
    await expect(viewer().alerts.get({ fingerprint: 'ffffffffffffffff' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('finds an external alert by fingerprint alone, with its own history', async () => {
    const labels = { alertname: 'ExtDetail', instance: 'db-1' };
    const a = await alert(null, 'firing', labels, { active: ago(10), endsAt: ago(-5) });
    await f.database.primary.insert(schema.alertTransitions).values({
      ruleId: null,
      fingerprint: a.fingerprint,
      labels,
      fromState: 'inactive',
      toState: 'firing',
      reason: 'Received',
      at: ago(10),
    });
    const got = await viewer().alerts.get({ fingerprint: a.fingerprint });
    expect(got.alert).toMatchObject({ id: a.id, source: 'external', rule: null });
    expect(got.history.map((h) => h.reason)).toEqual(['Received']);
    const chart = await viewer().alerts.chart({ fingerprint: a.fingerprint, from: ago(60), to: ago(0) });
    expect(chart.metric).toBeNull();
    expect(chart.spans).toEqual([{ from: ago(10), to: null }]);
  });

  it('charts a metric rule alert: its own series through metrics.query, thresholds and firing spans', async () => {
    const r = await rule('Charted');
    const labels = { alertname: 'Charted', route: '/c' };
    const fp = fingerprint(labels);
    await alert(r, 'firing', { route: '/c' }, { active: ago(40), fired: ago(20) });
    await f.database.primary.insert(schema.alertTransitions).values(
      (
        [
          ['inactive', 'pending', 50],
          ['pending', 'firing', 45],
          ['firing', 'resolved', 35],
          ['inactive', 'pending', 25],
          ['pending', 'firing', 20],
        ] as const
      ).map(([from, to, m]) => ({
        ruleId: r.id,
        fingerprint: fp,
        labels,
        fromState: from,
        toState: to,
        reason: 'x',
        at: ago(m),
      })),
    );
    const chart = await viewer().alerts.chart({ fingerprint: fp, ruleId: r.id, from: ago(60), to: ago(0) });
    expect(chart.spans).toEqual([
      { from: ago(45), to: ago(35) },
      { from: ago(20), to: null },
    ]);
    expect(chart.metric).toMatchObject({
      name: 'read_errors_total',
      fn: 'rate',
      threshold: 5,
      resolveThreshold: 3,
      step: 60,
    });
    expect(chart.metric!.values.length).toBeGreaterThanOrEqual(60);
    expect(chart.metric!.values.every((v) => v === null)).toBe(true);
  });
});

describe('firingSpans and alertQuery (pure)', () => {
  const w = { from: ago(60), to: ago(0) };
  it('opens at the window start when already firing, closes on leaving firing, and clips', () => {
    expect(firingSpans([{ to: 'resolved', at: ago(50) }], w, 'firing')).toEqual([
      { from: ago(60), to: ago(50) },
    ]);
    expect(
      firingSpans(
        [
          { to: 'recovering', at: ago(50) },
          { to: 'firing', at: ago(40) },
        ],
        w,
        'firing',
      ),
    ).toEqual([{ from: ago(60), to: null }]);
    expect(firingSpans([], w, 'resolved')).toEqual([]);
    // An external alert whose endsAt passed closes there.
    expect(firingSpans([{ to: 'firing', at: ago(30) }], w, null, ago(10))).toEqual([
      { from: ago(30), to: ago(10) },
    ]);
  });
  it("narrows the rule's selector to the alert's by-labels, a missing one as empty", () => {
    const q = alertQuery(
      {
        kind: 'metric',
        metric: 'm',
        fn: 'error_ratio',
        matchers: [{ label: 'job', op: '=', value: 'api' }],
        by: ['route', 'zone'],
        windowSeconds: 300,
        comparison: '>',
        threshold: 0.05,
      },
      { alertname: 'A', route: '/r' },
      { from: ago(24 * 60), to: ago(0) },
    );
    expect(q.selector.matchers).toEqual([
      { label: 'job', op: '=', value: 'api' },
      { label: 'route', op: '=', value: '/r' },
      { label: 'zone', op: '=', value: '' },
    ]);
    expect(q.step).toBe(300);
    expect(q.errorMatcher).toEqual({ label: 'status', op: '=~', value: '5..' });
  });
});
