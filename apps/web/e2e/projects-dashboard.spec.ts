import type { Page } from '@playwright/test';
import { embeddedDatabaseUrl } from '@sextant/db';
import postgres from 'postgres';
import { expect, test } from './fixtures';
import { API_URL, asAdmin, chartLegendAt, createUserInConsole, firstSignIn, trpcFromPage } from './helpers';

// Issue 17 point 3, the read side: the portfolio, one project's dashboard, its print view and a share link.
// Projects, milestones, updates and links are made through the API with a maintainer's key; work items and past
// daily snapshots (the history a 3-week-old project would have) are written straight into the API's database.
const sql = postgres(embeddedDatabaseUrl(Number(process.env.E2E_PG_PORT ?? '54310')), { max: 1 });
test.afterAll(() => sql.end({ timeout: 5 }));

const RUN = Date.now().toString(36);
const NAME = `Checkout v2 ${RUN}`;
const MAINTAINER = `proj-maintainer-${RUN}@e2e.local`;
const VIEWER = `proj-viewer-${RUN}@e2e.local`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** A tRPC call over HTTP as CI would make it, with the maintainer's API key. */
async function api(key: string, path: string, input: unknown) {
  const res = await fetch(`${API_URL}/trpc/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ json: input }),
  });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()).result.data.json;
}

/**
 * Started 3 weeks ago, due in 3: 10 one-point items done and 2 eight-point items open (83 % by count, 38 % by
 * estimate); the second large item was added a week ago, so the scope line steps up from 18 to 26 points.
 */
async function seedProject(key: string) {
  const project = await api(key, 'projects.create', { name: NAME, startDate: day(-21), targetDate: day(21) });
  const beta = await api(key, 'milestones.create', {
    projectId: project.id,
    milestone: { name: 'Beta', dueDate: day(7) },
  });
  await api(key, 'milestones.create', { projectId: project.id, milestone: { name: 'GA', dueDate: day(21) } });
  const service = await api(key, 'services.create', {
    name: `Checkout API ${RUN}`,
    tier: 'standard',
    tags: [],
  });
  await api(key, 'projects.setServices', { projectId: project.id, serviceIds: [service.id] });
  await api(key, 'projects.addUpdate', {
    projectId: project.id,
    note: 'Beta is on its way.',
    health: 'on_track',
  });
  for (let i = 0; i < 10; i++) {
    await sql`insert into work_items (project_id, milestone_id, title, estimate, status, closed_at)
      values (${project.id}, ${beta.id}, ${`small ${i}`}, 1, 'done', ${new Date(Date.now() - (20 - 2 * i) * 86_400_000)})`;
  }
  await sql`insert into work_items (project_id, milestone_id, title, estimate, status)
    values (${project.id}, ${beta.id}, 'large a', 8, 'in_progress'), (${project.id}, null, 'large b', 8, 'todo')`;
  // Before the second large item: 11 items, 18 points; a week ago it was added: 12 items, 26 points.
  for (const [back, scopeCount, scopePoints, done] of [
    [21, 11, 18, 2],
    [14, 11, 18, 5],
    [7, 12, 26, 8],
  ] as const) {
    await sql`insert into project_snapshots
        (project_id, day, scope_count, done_count, scope_points, done_points, unestimated_count)
      values (${project.id}, ${day(-back)}, ${scopeCount}, ${done}, ${scopePoints}, ${done}, 0)`;
  }
  return project.id as string;
}

/** The only buttons a read-only dashboard may hold. */
async function dashboardButtons(page: Page) {
  return page.getByTestId('project-dashboard').getByRole('button').allTextContents();
}

test('portfolio, dashboard, print view, a viewer and a share-link visitor read; a revoked link stops at once (issue 17 point 3, requirement 17)', async ({
  openPage,
}) => {
  test.setTimeout(180_000);
  const admin = await openPage();
  await asAdmin(admin);
  const maintainerTemp = await createUserInConsole(admin, MAINTAINER, 'maintainer');
  const viewerTemp = await createUserInConsole(admin, VIEWER, 'viewer');
  await admin.context().close();

  const page = await openPage();
  await firstSignIn(page, MAINTAINER, maintainerTemp, `proj-maintainer-pass-${RUN}`);
  const created = await trpcFromPage(page, 'apiKeys.create', { name: `projects ${RUN}`, role: 'maintainer' });
  expect(created.status).toBe(200);
  const key = created.json.result.data.json.key as string;
  const id = await seedProject(key);

  // The portfolio: both percentages side by side, the health badge naming the rule that fired.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  const row = page.locator(`[data-testid="project-row"][data-name="${NAME}"]`);
  await expect(row.getByTestId('percent-by-count')).toHaveText('83 %');
  await expect(row.getByTestId('percent-by-estimate')).toHaveText('38 %');
  await expect(row.getByTestId('percent-gap')).toContainText('45 points higher');
  await expect(row.getByTestId('project-health')).toHaveAttribute('data-health', 'at_risk');
  await expect(row.locator('[data-rule="predicted_after_target"]')).toHaveText('Predicted after target');
  await expect(row.getByTestId('service-facts')).toContainText(`Checkout API ${RUN}`);
  await expect(page.locator(`[data-testid="at-risk-project"][data-name="${NAME}"]`)).toBeVisible();

  // The dashboard: header, burn-up from 3 snapshots and today with the scope added, milestones, services.
  await row.getByRole('link', { name: NAME }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${id}$`));
  await expect(page.getByRole('heading', { name: NAME })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Project' }).getByRole('link')).toHaveText([
    'Dashboard',
    'Items',
    'Settings',
  ]);
  await expect(page.getByTestId('latest-update')).toContainText('Beta is on its way.');
  const burnUp = page.getByTestId('burn-up');
  await expect(burnUp).toHaveAttribute('data-points', '4');
  await expect(burnUp).toHaveAttribute('data-scope-added', '8');
  await expect(burnUp.locator('canvas').first()).toBeVisible();
  // Reached by a client-side navigation: the chart spans its days (an unset x scale read one day everywhere).
  await expect
    .poll(async () => (await chartLegendAt(burnUp, 0.05))[0] !== (await chartLegendAt(burnUp, 0.95))[0])
    .toBe(true);
  await expect(page.getByTestId('burn-up-caption')).toContainText('+8 points');
  await expect(page.getByTestId('milestone-row')).toHaveCount(2);
  await expect(page.locator('[data-testid="milestone-row"][data-name="Beta"]')).toContainText('90 %');
  await expect(page.getByTestId('unestimated')).toHaveText('Every item in scope has an estimate.');
  await expect(page.locator('[data-testid="service-row"]')).toContainText(`Checkout API ${RUN}`);
  expect(await dashboardButtons(page)).toEqual(['Print']);
  await expect(page.getByLabel('Subscribe to weekly digest')).not.toBeChecked();
  await page.getByLabel('Subscribe to weekly digest').check();
  await expect(page.getByLabel('Subscribe to weekly digest')).toBeEnabled();
  await page.reload();
  await expect(page.getByLabel('Subscribe to weekly digest')).toBeChecked();

  // Print: no navigation, tabs or controls; the chart no wider than the page.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByTestId('project-nav')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
  await expect(page.getByTestId('current-user')).toBeHidden();
  await expect(burnUp).toBeVisible();
  // A4 portrait is about 760 CSS pixels wide: the chart drawn for the wide screen still fits it.
  await page.setViewportSize({ width: 760, height: 1000 });
  const width = () => page.evaluate(() => document.documentElement.scrollWidth);
  expect(await width()).toBeLessThanOrEqual(760);
  const chart = await burnUp.locator('canvas').first().boundingBox();
  expect(chart && chart.x + chart.width <= 760).toBeTruthy();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ media: 'screen' });

  // A viewer reads both pages and finds nothing that changes the project.
  const viewer = await openPage();
  await firstSignIn(viewer, VIEWER, viewerTemp, `proj-viewer-pass-${RUN}`);
  await viewer.goto('/projects');
  await expect(viewer.locator(`[data-testid="project-row"][data-name="${NAME}"]`)).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'New project' })).toHaveCount(0);
  await viewer.goto(`/projects/${id}`);
  await expect(viewer.getByTestId('burn-up')).toHaveAttribute('data-points', '4');
  expect(await dashboardButtons(viewer)).toEqual(['Print']);
  await expect(viewer.getByRole('navigation', { name: 'Project' }).getByRole('link')).toHaveText([
    'Dashboard',
    'Items',
    'Settings',
  ]);
  const forged = await trpcFromPage(viewer, 'projects.update', { id, project: { name: 'Hijacked' } });
  expect(forged.code).toBe('FORBIDDEN');

  // A share link, opened in a fresh browser with no cookies: the dashboard, Print only, no console, no emails.
  const { token, link } = await api(key, 'projects.shareLinks.create', { projectId: id, expiresInHours: 24 });
  const outsider = await openPage();
  const response = await outsider.goto(`/share/${token}`);
  expect(response?.status()).toBe(200);
  const headers = response?.headers() ?? {};
  expect(headers['cache-control']).toContain('no-store');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-robots-tag']).toContain('noindex');
  await expect(outsider.getByRole('heading', { name: NAME })).toBeVisible();
  await expect(outsider.getByTestId('percent-by-count')).toHaveText('83 %');
  await expect(outsider.getByTestId('percent-by-estimate')).toHaveText('38 %');
  await expect(outsider.getByTestId('burn-up')).toHaveAttribute('data-scope-added', '8');
  await expect(outsider.getByTestId('milestone-row')).toHaveCount(2);
  expect(await dashboardButtons(outsider)).toEqual(['Print']);
  await expect(outsider.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await expect(outsider.getByRole('link', { name: `Checkout API ${RUN}` })).toHaveCount(0);
  expect(await outsider.content()).not.toContain('@e2e.local');
  await outsider.emulateMedia({ media: 'print' });
  await expect(outsider.getByRole('button', { name: 'Print' })).toBeHidden();
  await outsider.emulateMedia({ media: 'screen' });

  // Revoked: the same address answers the not-valid page at once, with 404.
  await api(key, 'projects.shareLinks.revoke', { id: link.id });
  const again = await outsider.goto(`/share/${token}`);
  expect(again?.status()).toBe(404);
  await expect(outsider.getByTestId('share-invalid')).toHaveText('This link is not valid (any more)');
  await expect(outsider.getByText(NAME)).toHaveCount(0);
  const unknown = await outsider.goto(`/share/${'A'.repeat(43)}`);
  expect(unknown?.status()).toBe(404);
});

test('a maintainer starts a project from the portfolio and lands on its dashboard', async ({ openPage }) => {
  const admin = await openPage();
  await asAdmin(admin);
  await admin.goto('/projects');
  await admin.getByRole('button', { name: 'New project' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel('Name').fill(`Dialog project ${RUN}`);
  await dialog.getByLabel('Owner (optional)').selectOption({ label: 'Administrator' });
  // A target before the start is refused next to its field, with the API's own message.
  await dialog.getByLabel('Target date (optional)').fill(day(-400));
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(dialog.getByText(/before the start/)).toBeVisible();
  await dialog.getByLabel('Target date (optional)').fill(day(30));
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(admin).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  await expect(admin.getByRole('heading', { name: `Dialog project ${RUN}` })).toBeVisible();
  await expect(admin.getByTestId('project-header')).toContainText('Owner Administrator');
  await expect(admin.getByTestId('project-dashboard')).toContainText('No milestones.');
});
