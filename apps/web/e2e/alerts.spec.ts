import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { embeddedDatabaseUrl } from '@sextant/db';
import postgres from 'postgres';
import { expect, test } from './fixtures';
import { asAdmin, createUserInConsole, firstSignIn } from './helpers';

// The engine and the ingest that write alerts are other parts of the system: this spec writes their rows itself,
// straight into the API's database, and watches the console follow.
const sql = postgres(embeddedDatabaseUrl(Number(process.env.E2E_PG_PORT ?? '54310')), { max: 1 });
test.afterAll(() => sql.end({ timeout: 5 }));

const run = Date.now().toString(36);
const fp = () => randomBytes(8).toString('hex');
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

async function seed() {
  const [service] = await sql`
    insert into services (name, slug) values (${`Alerted ${run}`}, ${`alerted-${run}`}) returning id, slug`;
  const [rule] = await sql`
    insert into alert_rules (name, kind, service_id, interval_seconds, condition)
    values (${`HighErrors${run}`}, 'metric', ${service!.id}, 60, ${sql.json({
      kind: 'metric',
      metric: 'http_requests_total',
      fn: 'error_ratio',
      matchers: [],
      by: ['route'],
      windowSeconds: 60,
      comparison: '>',
      threshold: 0.05,
    })})
    returning id, name`;
  const alert = async (
    route: string,
    state: string,
    times: { active: Date; fired?: Date; resolved?: Date },
    ruleId: string | null = rule!.id,
  ) => {
    const labels = { alertname: ruleId ? rule!.name : `External${run}`, route, e2e: run, severity: 'page' };
    const [row] = await sql`
      insert into alert_instances (source, rule_id, fingerprint, labels, annotations, state, reason, value,
        active_at, fired_at, resolved_at, starts_at, ends_at)
      values (${ruleId ? 'rule' : 'external'}, ${ruleId}, ${fp()}, ${sql.json(labels)},
        ${sql.json({ summary: `Errors on ${route}`, runbook_url: 'https://runbooks.example/errors' })},
        ${state}, ${state === 'firing' ? 'ForElapsed' : 'ConditionMet'}, 0.12,
        ${times.active}, ${times.fired ?? null}, ${times.resolved ?? null},
        ${ruleId ? null : times.active}, ${ruleId ? null : new Date(Date.now() + 3_600_000)})
      returning id, fingerprint, labels`;
    return row!;
  };
  const firing = await alert('/checkout', 'firing', { active: minutesAgo(15), fired: minutesAgo(10) });
  const pending = await alert('/search', 'pending', { active: minutesAgo(1) });
  const resolved = await alert('/login', 'resolved', {
    active: minutesAgo(40),
    fired: minutesAgo(35),
    resolved: minutesAgo(2),
  });
  const external = await alert('/ext', 'firing', { active: minutesAgo(5), fired: minutesAgo(5) }, null);
  for (const [from, to, m] of [
    ['inactive', 'pending', 15],
    ['pending', 'firing', 10],
  ] as const)
    await sql`
      insert into alert_transitions (rule_id, fingerprint, labels, from_state, to_state, reason, value, at)
      values (${rule!.id}, ${firing.fingerprint}, ${sql.json(firing.labels)}, ${from}, ${to},
        ${to === 'firing' ? 'ForElapsed' : 'ConditionMet'}, 0.12, ${minutesAgo(m)})`;
  return { service: service!, rule: rule!, firing, pending, resolved, external };
}

const rows = (page: Page) => page.getByTestId('alert-row');

test('the Alerts page lists firing first, follows state changes without reload, and links to a detail with history and chart; a viewer sees everything and no Silence', async ({
  openPage,
}) => {
  test.setTimeout(120_000);
  const s = await seed();
  const admin = await openPage();
  await asAdmin(admin);
  const password = await createUserInConsole(admin, `alerts-viewer-${run}@e2e.local`, 'viewer');

  await admin.getByRole('link', { name: 'Alerts', exact: true }).click();
  await expect(admin).toHaveURL(/\/alerts$/);
  await admin.getByLabel('Search labels').fill(run);
  await admin.getByRole('button', { name: 'Filter' }).click();
  await expect(admin).toHaveURL(new RegExp(`text=${run}`));
  // Firing first (newest first), then pending, then resolved.
  await expect(rows(admin)).toHaveCount(4);
  expect(await rows(admin).evaluateAll((rs) => rs.map((r) => r.getAttribute('data-fingerprint')))).toEqual([
    s.external.fingerprint,
    s.firing.fingerprint,
    s.pending.fingerprint,
    s.resolved.fingerprint,
  ]);
  const firingRow = admin.locator(`[data-testid="alert-row"][data-fingerprint="${s.firing.fingerprint}"]`);
  await expect(firingRow.getByTestId('label-chip').filter({ hasText: 'route=/checkout' })).toBeVisible();
  await expect(firingRow.getByRole('cell', { name: 'ForElapsed' })).toBeVisible();
  const silence = firingRow.getByRole('link', { name: 'Silence', exact: true });
  expect(await silence.getAttribute('href')).toContain(
    `/silences/new?${new URLSearchParams({ matcher: `alertname=${s.rule.name}` })}`,
  );

  // The engine moves the pending alert to firing: the row follows without a reload.
  await admin.evaluate(() => {
    (window as unknown as { noReload: boolean }).noReload = true;
  });
  await sql`update alert_instances set state = 'firing', fired_at = ${new Date()}, reason = 'ForElapsed' where id = ${s.pending.id}`;
  const pendingRow = admin.locator(`[data-testid="alert-row"][data-fingerprint="${s.pending.fingerprint}"]`);
  await expect(pendingRow).toHaveAttribute('data-state', 'firing', { timeout: 15_000 });
  await expect(rows(admin).first()).toHaveAttribute('data-fingerprint', s.pending.fingerprint);
  expect(await admin.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);

  // Detail: labels, rendered annotations, history, the rule link and the chart with the firing span.
  await firingRow.getByRole('link', { name: s.rule.name }).click();
  await expect(admin).toHaveURL(new RegExp(`/alerts/${s.firing.fingerprint}\\?rule=${s.rule.id}`));
  await expect(admin.getByTestId('history-row')).toHaveCount(2);
  await expect(admin.getByTestId('history-row').first()).toHaveAttribute('data-to', 'firing');
  await expect(
    admin.getByTestId('annotations').getByRole('link', { name: 'https://runbooks.example/errors' }),
  ).toBeVisible();
  await expect(admin.getByTestId('rule-link')).toHaveAttribute('href', `/alerts/rules/${s.rule.id}`);
  const chart = admin.getByTestId('alert-chart');
  await expect(chart).toHaveAttribute('data-spans', '1');
  await expect(chart.locator('canvas')).toBeVisible();
  await expect(admin.getByRole('link', { name: 'Silence this alert' })).toBeVisible();

  // The service page lists its firing alerts (its rule's).
  await admin.goto(`/services/${s.service.slug}`);
  await expect(admin.getByTestId('service-alert-row')).toHaveCount(2);

  const viewer = await openPage();
  await firstSignIn(viewer, `alerts-viewer-${run}@e2e.local`, password, 'alerts-viewer-password-1');
  await viewer.goto(`/alerts?text=${run}`);
  await expect(rows(viewer)).toHaveCount(4);
  await expect(viewer.getByRole('link', { name: 'Silence', exact: true })).toHaveCount(0);
  await viewer.goto(`/alerts/${s.firing.fingerprint}?rule=${s.rule.id}`);
  await expect(viewer.getByTestId('history-row')).toHaveCount(2);
  await expect(viewer.getByRole('link', { name: 'Silence this alert' })).toHaveCount(0);
});
