import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  API_URL,
  asAdmin,
  createServiceInConsole,
  createUserInConsole,
  firstSignIn,
  trpcFromPage,
} from './helpers';

// Issue 17 point 1 in the console (its e2e acceptance, write side): a maintainer plans a project with two milestones,
// imports 40 items from CSV (2 bad rows reported by line, nothing half-imported), links an item to a release that
// then reaches PRO (the item turns done), shares the dashboard once and revokes it; a viewer can press nothing.
const RUN = Date.now().toString(36);
const SERVICE = `proj-shop-${RUN}`;
const MAINTAINER = { email: `proj-maint-${RUN}@e2e.local`, password: `proj-maint-pass-${RUN}` };
const VIEWER = { email: `proj-viewer-${RUN}@e2e.local`, password: `proj-viewer-pass-${RUN}` };
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const START = day(-30);

/** 40 items over the two milestones; `bad` puts an unknown milestone on line 7 and a negative estimate on line 20. */
function itemsCsv(bad: boolean) {
  const rows = Array.from({ length: 40 }, (_, i) => {
    const line = i + 2; // the header is line 1
    const milestone = bad && line === 7 ? 'Gamma' : i % 2 ? 'Beta' : 'Alpha';
    const estimate = bad && line === 20 ? '-3' : String((i % 5) + 1);
    return `Item ${i + 1},${estimate},${i < 5 ? 'done' : 'todo'},${milestone},,e2e;import`;
  });
  return Buffer.from(['title,estimate,status,milestone,assignee,labels', ...rows].join('\n'));
}

async function report(key: string, environment: string) {
  const res = await fetch(`${API_URL}/v1/deployments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      service: SERVICE,
      environment,
      version: '2.0.0',
      state: 'succeeded',
      externalId: `proj-${RUN}-${environment}`,
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

async function importFile(page: Page, csv: Buffer) {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('File').setInputFiles({ name: 'items.csv', mimeType: 'text/csv', buffer: csv });
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByTestId('import-report')).toBeVisible();
  return dialog;
}

const rows = (page: Page) => page.getByTestId('work-item-row');

test('issue 17 point 1: a maintainer plans a project, imports 40 items (2 bad rows refused first), links a release that reaches PRO, shares and revokes; a viewer presses nothing', async ({
  openPage,
}) => {
  // Three people, 40 imported rows and a deployment through the UI: about 1.5 min on a loaded 2-core CI run.
  test.setTimeout(180_000);
  const admin = await openPage();
  await asAdmin(admin);
  await createServiceInConsole(admin, `Proj Shop ${RUN}`, SERVICE);
  const maintainerTemp = await createUserInConsole(admin, MAINTAINER.email, 'maintainer');
  const viewerTemp = await createUserInConsole(admin, VIEWER.email, 'viewer');
  await admin.context().close();

  const page = await openPage();
  await firstSignIn(page, MAINTAINER.email, maintainerTemp, MAINTAINER.password);
  const created = await trpcFromPage(page, 'apiKeys.create', { name: `proj ${RUN}`, role: 'maintainer' });
  const key = created.json.result.data.json.key as string;

  // The project through tRPC over HTTP with the maintainer's key (the New project dialog is another page's).
  const made = await fetch(`${API_URL}/trpc/projects.create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ json: { name: `Launch ${RUN}`, startDate: START, targetDate: day(60) } }),
  });
  expect(made.status, await made.clone().text()).toBe(200);
  const projectId = ((await made.json()) as { result: { data: { json: { id: string } } } }).result.data.json
    .id;

  // Two milestones in Settings; a due date before the start is refused with its code's message on the field.
  await page.goto(`/projects/${projectId}/settings`);
  for (const [name, due] of [
    ['Alpha', day(10)],
    ['Beta', day(40)],
  ] as const) {
    await page.getByRole('button', { name: 'New milestone' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(name);
    if (name === 'Alpha') {
      await dialog.getByLabel('Due date (optional)').fill(day(-60));
      await dialog.getByRole('button', { name: 'Add milestone' }).click();
      await expect(dialog.locator('#milestone-due-error')).toContainText('before the project starts');
    }
    await dialog.getByLabel('Due date (optional)').fill(due);
    await dialog.getByRole('button', { name: 'Add milestone' }).click();
    await expect(dialog).toBeHidden();
  }
  await expect(page.getByTestId('milestone-row')).toHaveText([/Alpha/, /Beta/]);

  // The bad file: both rows reported by line and code, Import stays disabled, and a forced import is refused whole.
  await page.goto(`/projects/${projectId}/items`);
  await expect(page.getByText('No work items match.')).toBeVisible();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  let dialog = await importFile(page, itemsCsv(true));
  const rejected = dialog.getByTestId('import-rejected-row');
  await expect(rejected).toHaveCount(2);
  await expect(rejected.and(page.locator('[data-line="7"]'))).toContainText('MILESTONE_UNKNOWN');
  await expect(rejected.and(page.locator('[data-line="20"]'))).toContainText('ESTIMATE_INVALID');
  await expect(dialog.getByRole('button', { name: /^Import/ })).toBeDisabled();
  const forced = await trpcFromPage(page, 'workItems.import', {
    projectId,
    format: 'csv',
    content: itemsCsv(true).toString(),
  });
  expect(forced.json.error.json.data.appCode).toBe('WORK_ITEM_IMPORT_REJECTED');
  expect(forced.json.error.json.data.details.rows.map((r: { line: number }) => r.line)).toEqual([7, 20]);
  await page.keyboard.press('Escape');
  await page.reload();
  await expect(page.getByText('No work items match.')).toBeVisible();

  // The fixed file imports all 40 at once.
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  dialog = await importFile(page, itemsCsv(false));
  await expect(dialog.getByTestId('import-summary')).toHaveText('40 to import, 0 rejected.');
  await dialog.getByRole('button', { name: 'Import 40 items' }).click();
  await expect(dialog).toBeHidden();
  await expect(rows(page)).toHaveCount(40);

  // Item 6 (open) is linked to release 2.0.0, which CI reported in DEV; then 2.0.0 succeeds in PRO.
  await report(key, 'DEV');
  const item = page.locator('[data-testid="work-item-row"][data-title="Item 6"]');
  await expect(item).toHaveAttribute('data-status', 'todo');
  await item.getByRole('button', { name: 'Edit' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('Release service').selectOption(SERVICE);
  await expect(
    dialog.getByLabel('Release', { exact: true }).locator('option', { hasText: '2.0.0' }),
  ).toHaveCount(1);
  await dialog.getByLabel('Release', { exact: true }).selectOption({ label: '2.0.0' });
  await dialog.getByRole('button', { name: 'Save item' }).click();
  await expect(dialog).toBeHidden();
  await expect(item.getByTestId('item-release')).toHaveText('2.0.0');
  await expect(item).toHaveAttribute('data-status', 'todo');
  await report(key, 'PRO');
  await page.reload();
  await expect(item).toHaveAttribute('data-status', 'done');

  // A share link: its address is shown once, then it is revoked.
  await page.goto(`/projects/${projectId}/settings`);
  await page.getByRole('button', { name: 'New share link' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByLabel('Label (optional)').fill('board deck');
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const url = ((await dialog.getByTestId('share-url').textContent()) ?? '').trim();
  expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);
  // The address made in the console opens the dashboard for a visitor without a session, until revoked.
  const visitor = (await openPage()).request;
  expect((await visitor.get(url)).status()).toBe(200);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByText(url)).toHaveCount(0);
  const link = page.locator('[data-testid="share-link-row"][data-label="board deck"]');
  await expect(link).toHaveAttribute('data-state', 'active');
  await link.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(link).toHaveAttribute('data-state', 'revoked');
  expect((await visitor.get(url)).status()).toBe(404);

  // A viewer reads both pages and has nothing to press that changes anything.
  const viewer = await openPage();
  await firstSignIn(viewer, VIEWER.email, viewerTemp, VIEWER.password);
  await viewer.goto(`/projects/${projectId}/items`);
  await expect(rows(viewer)).toHaveCount(40);
  await expect(viewer.locator('[data-testid="work-item-row"][data-title="Item 6"]')).toHaveAttribute(
    'data-status',
    'done',
  );
  await expect(viewer.getByTestId('work-items').getByRole('button')).toHaveCount(0);
  await expect(viewer.getByTestId('work-items').getByRole('checkbox')).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /New item|Import|Set status/ })).toHaveCount(0);
  await viewer.goto(`/projects/${projectId}/settings`);
  await expect(viewer.getByTestId('milestone-row')).toHaveCount(2);
  await expect(viewer.locator('main').getByRole('button')).toHaveCount(0);
  await expect(viewer.locator('main').getByRole('textbox')).toHaveCount(0);
  await expect(viewer.getByTestId('share-links')).toHaveCount(0);
});
