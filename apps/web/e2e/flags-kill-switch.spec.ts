import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { embeddedDatabaseUrl } from '@sextant/db';
import { plainGet } from '@sextant/db/check-config';
import postgres from 'postgres';
import { expect, test } from './fixtures';
import { API_URL, asAdmin, firstSignIn, trpcFromPage } from './helpers';

// Issue 18's acceptance: "an incident's kill switch turns the flag off in PRO and the chart shows it". The service,
// its flag and the incident are made through the API with a maintainer's key; an alert labelled with the service and
// a few hours of latency rollups are written straight into the API's database (no check has to run for them).
const sql = postgres(embeddedDatabaseUrl(Number(process.env.E2E_PG_PORT ?? '54310')), { max: 1 });
test.afterAll(() => sql.end({ timeout: 5 }));

const RUN = Date.now().toString(36);
const FLAG = `checkout.kill-${RUN}`;
const MAINTAINER = { email: `kill-maintainer-${RUN}@e2e.local`, password: `kill-maintainer-pass-${RUN}` };
const VIEWER = { email: `kill-viewer-${RUN}@e2e.local`, password: `kill-viewer-pass-${RUN}` };

/** A tRPC call over HTTP as CI would make it, with the maintainer's API key. */
async function api(key: string, path: string, input?: unknown) {
  const query = input === undefined;
  const res = await fetch(`${API_URL}/trpc/${path}`, {
    method: query ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, ...(query ? {} : { 'content-type': 'application/json' }) },
    body: query ? undefined : JSON.stringify({ json: input }),
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()).result.data.json;
}

/** A user made by the signed-in admin, signed in on a fresh page with the temporary password replaced. */
async function person(admin: Page, page: Page, who: { email: string; password: string }, role: string) {
  const temporary = `${who.password}-first`;
  const made = await trpcFromPage(admin, 'users.create', { email: who.email, role, password: temporary });
  expect(made.status, JSON.stringify(made.json)).toBe(200);
  await firstSignIn(page, who.email, temporary, who.password);
}

/** A paused check of the service with three complete hours of latency rollups: what the latency chart reads. */
async function latencyHistory(serviceId: string, environmentId: string) {
  const [check] = await sql<{ id: string }[]>`
    insert into checks (service_id, environment_id, name, kind, config, interval_seconds, paused, phase_offset_ms,
      next_run_at)
    values (${serviceId}, ${environmentId}, 'kill switch history', 'http',
      ${sql.json(plainGet('https://example.com/health'))}, 60, true, 0, now())
    returning id`;
  await sql`
    insert into check_rollups_hourly (check_id, hour, count, failures, latency_p50, latency_p95)
    select ${check!.id}, date_trunc('hour', now()) - make_interval(hours => h), 60, 0, 100 + h, 200 + h
    from generate_series(1, 3) h`;
}

test("an incident's kill switch turns its service's flag off in PRO and the service chart marks it; the alert's page has the card; a viewer sees no switch", async ({
  openPage,
}) => {
  test.setTimeout(120_000);
  const admin = await openPage();
  await asAdmin(admin);
  const page = await openPage();
  await person(admin, page, MAINTAINER, 'maintainer');
  const viewer = await openPage();
  await person(admin, viewer, VIEWER, 'viewer');
  await admin.context().close();

  const created = await trpcFromPage(page, 'apiKeys.create', { name: `kill ${RUN}`, role: 'maintainer' });
  expect(created.status).toBe(200);
  const key = created.json.result.data.json.key as string;
  const service = await api(key, 'services.create', { name: `Kill Shop ${RUN}`, tier: 'standard', tags: [] });
  await api(key, 'flags.create', { key: FLAG, type: 'boolean', serviceIds: [service.id] });
  await api(key, 'flags.toggle', { key: FLAG, environment: 'PRO', enabled: true });
  const pro = ((await api(key, 'environments.list')) as { id: string; name: string }[]).find(
    (e) => e.name === 'PRO',
  )!;
  const incident = await api(key, 'incidents.create', {
    title: `Checkout errors ${RUN}`,
    severity: 'SEV2',
    impacts: [{ serviceId: service.id, environmentId: pro.id, impact: 'partial_outage' }],
  });
  await latencyHistory(service.id, pro.id);
  // An external alert labelled with the service: its page shows the same card.
  const fingerprint = randomBytes(8).toString('hex');
  await sql`
    insert into alert_instances (source, fingerprint, labels, state, reason, active_at)
    values ('external', ${fingerprint}, ${sql.json({ alertname: `CheckoutErrors${RUN}`, service: service.slug })},
      'firing', 'Ingested', now())`;

  // A viewer reads the card: the flag on in PRO, flipped on before the incident, and nothing to press.
  await viewer.goto(`/incidents/${incident.id}`);
  const seen = viewer
    .getByTestId('service-flags')
    .locator(`[data-testid="service-flag"][data-key="${FLAG}"]`);
  await expect(seen.locator('[data-testid="flag-state"][data-env="PRO"]')).toHaveAttribute(
    'data-enabled',
    'true',
  );
  await expect(viewer.getByTestId('flag-flipped-before')).toContainText(`${FLAG} PRO enabled`);
  await expect(viewer.getByTestId('service-flags').getByRole('button')).toHaveCount(0);
  await viewer.goto(`/alerts/${fingerprint}`);
  await expect(
    viewer.locator(
      `[data-testid="service-flag"][data-key="${FLAG}"] [data-testid="flag-state"][data-env="PRO"]`,
    ),
  ).toHaveAttribute('data-enabled', 'true');
  await expect(viewer.getByTestId('service-flags').getByRole('button')).toHaveCount(0);

  // The maintainer finds the kill switch on the alert's page too.
  await page.goto(`/alerts/${fingerprint}`);
  await expect(
    page
      .locator(`[data-testid="service-flag"][data-key="${FLAG}"]`)
      .getByRole('button', { name: 'Kill switch' }),
  ).toBeVisible();

  // The maintainer presses the kill switch and confirms; the card follows.
  await page.goto(`/incidents/${incident.id}`);
  const row = page.getByTestId('service-flags').locator(`[data-testid="service-flag"][data-key="${FLAG}"]`);
  const state = row.locator('[data-testid="flag-state"][data-env="PRO"]');
  await expect(state).toHaveAttribute('data-enabled', 'true');
  await row.getByRole('button', { name: 'Kill switch' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Turns ${FLAG} off in PRO`);
  await dialog.getByRole('button', { name: 'Turn off in PRO' }).click();
  await expect(dialog).toBeHidden();
  await expect(state).toHaveAttribute('data-enabled', 'false');
  await expect(state).toHaveText('PRO: off');
  await expect(row.getByRole('button', { name: 'Kill switch' })).toHaveCount(0);
  const flag = await trpcFromPage(page, 'flags.get', { key: FLAG }, { method: 'GET' });
  const envs = flag.json.result.data.json.environments as { environment: string; enabled: boolean }[];
  expect(envs.find((e) => e.environment === 'PRO')?.enabled).toBe(false);

  // The service page's latency chart marks the change, dotted in the flag tone.
  await page.goto(`/services/${service.slug}`);
  const chart = page.getByTestId('latency-chart');
  await expect(chart.locator('canvas').first()).toBeVisible();
  await expect(
    chart.locator('[data-testid="chart-marker"][data-tone="flag"]', {
      hasText: `flag ${FLAG}: PRO kill switch`,
    }),
  ).toHaveCount(1);
});
