import { count, eq, schema } from '@sextant/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../src/root';
import type { AlertRuleFormInput } from '../../src/schemas/alert-rules';
import { ingestBatch } from '../../src/services/metrics/ingest';
import { DEFAULT_SERIES_LIMITS } from '../../src/services/metrics/limits';
import { createFixtures, type Fixtures } from '../../src/testing';
import { createFixture, type Fixture, refusalOf } from '../fixtures';

let f: Fixture;
let fx: Fixtures;
const METRIC = 'rules_http_requests_total';
const ROUTES = 30;

beforeAll(async () => {
  f = await createFixture();
  fx = await createFixtures(f.database);
  const now = Date.now();
  await ingestBatch(
    f.database.sql,
    {
      points: Array.from({ length: ROUTES }, (_, i) => ({
        name: METRIC,
        labels: { route: `/r${i}`, status: '200' },
        ts: now,
        value: i,
        kind: 'counter' as const,
      })),
      histograms: [],
    },
    DEFAULT_SERIES_LIMITS,
  );
});
afterAll(async () => {
  await f?.close();
});

const maintainer = () => appRouter.createCaller(f.ctx(f.user('maintainer')));
const viewer = () => appRouter.createCaller(f.ctx(f.user('viewer')));

/** A valid metric rule: error ratio over 5 % for 1 m, per route. */
function metricRule(over: Partial<AlertRuleFormInput> = {}, condition: Record<string, unknown> = {}) {
  return {
    name: 'HighErrorRatio',
    condition: {
      kind: 'metric',
      metric: METRIC,
      fn: 'error_ratio',
      matchers: [{ label: 'status', op: '=~', value: '[0-9]+' }],
      by: ['route'],
      windowSeconds: 300,
      comparison: '>',
      threshold: 0.05,
      ...condition,
    },
    forSeconds: 60,
    labels: { severity: 'page' },
    annotations: { summary: '{{ $labels.route }} errors at {{ $value | humanizePercentage }}' },
    ...over,
  } as AlertRuleFormInput;
}

async function counts() {
  const [rules] = await f.database.db.select({ n: count() }).from(schema.alertRules);
  const [audits] = await f.database.db
    .select({ n: count() })
    .from(schema.auditLog)
    .where(eq(schema.auditLog.targetType, 'alert_rule'));
  return { rules: rules!.n, audits: audits!.n };
}

/** The refusal of `rule`: its appCode and the field it names; and that nothing was saved (no rule, no audit row). */
async function refusal(rule: unknown) {
  const before = await counts();
  const err = await maintainer()
    .alertRules.create({ rule } as never)
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(await counts()).toEqual(before);
  return refusalOf(err);
}

describe('bad rule input is refused with a coded error naming the field, and nothing is saved', () => {
  it('an unknown metric', async () => {
    expect(await refusal(metricRule({}, { metric: 'no_such_metric_total' }))).toMatchObject({
      code: 'UNKNOWN_METRIC',
      path: 'rule.condition.metric',
    });
  });
  it('an unknown function', async () => {
    expect(await refusal(metricRule({}, { fn: 'median' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'rule.condition.fn',
    });
  });
  it('a `for` of 10 years (and a keep_firing_for of one)', async () => {
    const tenYears = 10 * 365 * 86_400;
    expect(await refusal(metricRule({ forSeconds: tenYears }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'rule.forSeconds',
    });
    expect(await refusal(metricRule({ keepFiringForSeconds: tenYears }))).toMatchObject({
      path: 'rule.keepFiringForSeconds',
    });
  });
  it.each([Number.NaN, Number.POSITIVE_INFINITY])('a threshold of %s', async (threshold) => {
    expect(await refusal(metricRule({}, { threshold }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'rule.condition.threshold',
    });
  });
  it('a resolve threshold on the firing side of the threshold', async () => {
    expect(await refusal(metricRule({}, { resolveThreshold: 0.5 }))).toMatchObject({
      path: 'rule.condition.resolveThreshold',
    });
  });
  it('a template that does not parse', async () => {
    expect(await refusal(metricRule({ annotations: { summary: 'at {{ $value' } }))).toMatchObject({
      code: 'INVALID_TEMPLATE',
      path: 'rule.annotations.summary',
    });
  });
  it('a template that loops', async () => {
    const description = '{{ range $labels }}{{ . }}{{ end }}';
    expect(await refusal(metricRule({ annotations: { description } }))).toMatchObject({
      code: 'INVALID_TEMPLATE',
      path: 'rule.annotations.description',
    });
  });
  it('1,000 labels', async () => {
    const labels = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`l${i}`, 'x']));
    expect(await refusal(metricRule({ labels }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'rule.labels',
    });
  });
  it('an invalid regex matcher', async () => {
    const matchers = [{ label: 'route', op: '=~', value: '(unclosed' }];
    expect(await refusal(metricRule({}, { matchers }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'rule.condition.matchers.0.value',
    });
  });
  it('a regex matcher that is too long', async () => {
    const matchers = [{ label: 'route', op: '=~', value: 'a'.repeat(600) }];
    expect(await refusal(metricRule({}, { matchers }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      path: 'rule.condition.matchers.0.value',
    });
  });
  it('a query that would yield more series than the rule allows, with the count', async () => {
    const r = await refusal(metricRule({ seriesLimit: 10 }));
    expect(r).toMatchObject({ code: 'RULE_SERIES_LIMIT', path: 'rule.seriesLimit' });
    expect(r.message).toContain(`${ROUTES} series`);
  });
  it('a monitor rule on a check that does not exist', async () => {
    const condition = { kind: 'monitor', target: { type: 'check', id: crypto.randomUUID() } };
    expect(await refusal({ name: 'Ghost down', condition })).toMatchObject({
      code: 'NOT_FOUND',
      path: 'rule.condition.target.id',
    });
  });
});

describe('alert rule CRUD, each change audited in its transaction and scheduled', () => {
  const auditActions = async (id: string) =>
    (
      await f.database.db
        .select({ action: schema.auditLog.action })
        .from(schema.auditLog)
        .where(eq(schema.auditLog.targetId, id))
        .orderBy(schema.auditLog.at)
    ).map((a) => a.action);
  const schedule = async (id: string) =>
    (
      await f.database.db
        .select()
        .from(schema.alertRuleSchedule)
        .where(eq(schema.alertRuleSchedule.ruleId, id))
    )[0];

  it('creates, lists, edits, disables, enables and deletes a rule', async () => {
    const created = await maintainer().alertRules.create({ rule: metricRule({ name: 'CrudRule' }) });
    expect(created).toMatchObject({
      kind: 'metric',
      forSeconds: 60,
      enabled: true,
      createdBy: f.users.maintainer.id,
    });
    expect((await schedule(created.id))?.nextEvalAt).toBeInstanceOf(Date);

    const listed = await viewer().alertRules.list();
    expect(listed.find((r) => r.id === created.id)).toMatchObject({
      name: 'CrudRule',
      health: 'unknown',
      firing: 0,
    });
    expect(await viewer().alertRules.get({ id: created.id })).toMatchObject({ name: 'CrudRule' });

    const edited = await maintainer().alertRules.update({
      id: created.id,
      rule: metricRule({ name: 'CrudRule', intervalSeconds: 30 }, { threshold: 0.1 }),
    });
    expect(edited.condition).toMatchObject({ threshold: 0.1 });
    expect((await schedule(created.id))?.intervalSeconds).toBe(30);

    await maintainer().alertRules.setEnabled({ id: created.id, enabled: false });
    expect((await schedule(created.id))?.nextEvalAt).toBeNull();
    await maintainer().alertRules.setEnabled({ id: created.id, enabled: false }); // no-op, not audited
    await maintainer().alertRules.setEnabled({ id: created.id, enabled: true });
    expect((await schedule(created.id))?.nextEvalAt).toBeInstanceOf(Date);

    await maintainer().alertRules.delete({ id: created.id });
    await expect(viewer().alertRules.get({ id: created.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await schedule(created.id)).toBeUndefined();
    expect(await auditActions(created.id)).toEqual([
      'alert_rule.create',
      'alert_rule.update',
      'alert_rule.disable',
      'alert_rule.enable',
      'alert_rule.delete',
    ]);
  });

  it('an edit refused by validation changes nothing', async () => {
    const created = await maintainer().alertRules.create({ rule: metricRule({ name: 'KeepMe' }) });
    const before = await counts();
    await expect(
      maintainer().alertRules.update({ id: created.id, rule: metricRule({}, { metric: 'gone_total' }) }),
    ).rejects.toMatchObject({ cause: { appCode: 'UNKNOWN_METRIC' } });
    expect(await counts()).toEqual(before);
    expect(await viewer().alertRules.get({ id: created.id })).toMatchObject({ name: 'KeepMe' });
  });

  it("the list counts a rule's pending and firing alerts (recovering ones still fire)", async () => {
    const rule = await maintainer().alertRules.create({ rule: metricRule({ name: 'Counted' }) });
    const states = ['pending', 'firing', 'recovering', 'resolved'] as const;
    await f.database.db.insert(schema.alertInstances).values(
      states.map((state, i) => ({
        source: 'rule' as const,
        ruleId: rule.id,
        fingerprint: `${i}`.padStart(16, '0'),
        labels: { alertname: 'Counted', route: `/r${i}` },
        state,
        reason: 'test',
        activeAt: new Date(),
      })),
    );
    const listed = (await viewer().alertRules.list()).find((r) => r.id === rule.id);
    expect(listed).toMatchObject({ pending: 1, firing: 2 });
  });

  it('an absence rule needs no threshold', async () => {
    const rule = await maintainer().alertRules.create({
      rule: { name: 'NoTraffic', condition: { kind: 'absence', metric: METRIC, windowSeconds: 600 } },
    });
    expect(rule).toMatchObject({ kind: 'absence', condition: { matchers: [] } });
  });

  it('fetch-or-throw: editing or deleting a missing rule is NOT_FOUND', async () => {
    const id = crypto.randomUUID();
    await expect(maintainer().alertRules.delete({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(maintainer().alertRules.setEnabled({ id, enabled: false })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('the default monitor rule of a check', () => {
  it('every new check gets "<name> down" for 2 runs, in its transaction; editable, can be turned off, goes with the check', async () => {
    const check = await fx.check();
    const [row] = await f.database.db
      .select()
      .from(schema.alertRules)
      .where(eq(schema.alertRules.defaultForCheckId, check.id));
    const [checkRow] = await f.database.db.select().from(schema.checks).where(eq(schema.checks.id, check.id));
    expect(row).toMatchObject({
      name: `${checkRow!.name} down`,
      kind: 'monitor',
      serviceId: check.serviceId,
      condition: { kind: 'monitor', target: { type: 'check', id: check.id }, statuses: ['down'], runs: 2 },
      enabled: true,
    });
    expect(
      await f.database.db
        .select()
        .from(schema.alertRuleSchedule)
        .where(eq(schema.alertRuleSchedule.ruleId, row!.id)),
    ).toHaveLength(1);

    await maintainer().alertRules.update({
      id: row!.id,
      rule: {
        name: row!.name,
        serviceId: row!.serviceId,
        condition: { kind: 'monitor', target: { type: 'check', id: check.id }, runs: 3 },
      },
    });
    expect((await viewer().alertRules.get({ id: row!.id })).condition).toMatchObject({ runs: 3 });
    await maintainer().alertRules.setEnabled({ id: row!.id, enabled: false });

    await maintainer().checks.delete({ id: check.id });
    await expect(viewer().alertRules.get({ id: row!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
