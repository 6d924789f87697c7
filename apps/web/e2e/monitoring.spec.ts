import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { ADMIN, allowLoopbackTargets, createUserInConsole, firstSignIn, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const MAINTAINER = { email: 'maintainer@e2e.local', password: 'maintainer-password-1' };
const WATCHER = { email: 'watcher@e2e.local', password: 'watcher-password-1' };

let target: Server;
let targetUrl: string;

test.beforeAll(async () => {
  // The service under watch: a local server the test stops halfway.
  target = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
});
test.afterAll(() => {
  target.closeAllConnections();
  target.close();
});

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

test('a maintainer watches a service go DOWN live; a viewer sees it read-only; /status shows it signed out', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const admin = await newPage(browser);
  await signIn(admin, ADMIN.email, ADMIN.password);
  await allowLoopbackTargets(admin); // the target listens on 127.0.0.1
  const maintainerTemp = await createUserInConsole(admin, MAINTAINER.email, 'maintainer');
  const watcherTemp = await createUserInConsole(admin, WATCHER.email, 'viewer');

  // A service, public on the status page: publishing is an admin's decision.
  await admin.goto('/services');
  await admin.getByRole('button', { name: 'New service' }).click();
  const serviceDialog = admin.getByRole('dialog');
  await serviceDialog.getByLabel('Name', { exact: true }).fill('E2E Shop');
  await serviceDialog.getByLabel('Show on public status page').check();
  await serviceDialog.getByRole('button', { name: 'Create service' }).click();
  await expect(admin.locator('[data-testid="service-row"][data-slug="e2e-shop"]')).toBeVisible();

  const maintainer = await newPage(browser);
  await firstSignIn(maintainer, MAINTAINER.email, maintainerTemp, MAINTAINER.password);

  // An HTTP check against the local target; one failure is enough to call it DOWN.
  await maintainer.goto('/services/e2e-shop');
  await maintainer.getByRole('button', { name: 'New check' }).click();
  const checkDialog = maintainer.getByRole('dialog');
  await checkDialog.getByLabel('Name', { exact: true }).fill('storefront');
  await checkDialog.getByLabel('URL').fill(targetUrl);
  await checkDialog.getByLabel('Interval (seconds)').fill('10');
  await checkDialog.getByLabel('Timeout (ms)').fill('2000');
  await checkDialog.getByLabel('Failure threshold').fill('1');
  await checkDialog.getByRole('button', { name: 'Create check' }).click();

  const row = maintainer.locator('[data-testid="check-row"][data-name="storefront"]');
  await expect(row).toBeVisible();
  await expect(row.getByTestId('check-status')).toHaveAttribute('data-status', 'up', { timeout: 30_000 });
  await expect(row.getByTestId('check-latency')).toHaveText(/\d+(\.\d+)? ms/);

  // The target dies; the page, never reloaded, turns DOWN by itself.
  const url = maintainer.url();
  target.closeAllConnections();
  await new Promise<void>((r) => target.close(() => r()));
  await expect(row.getByTestId('check-status')).toHaveAttribute('data-status', 'down', { timeout: 40_000 });
  expect(maintainer.url()).toBe(url);
  await expect(maintainer.getByTestId('service-status')).toHaveAttribute('data-status', 'down');
  await expect(row.getByTestId('check-error')).toContainText(/refused/i);

  // A viewer sees the same state and has nothing to press.
  const viewer = await newPage(browser);
  await firstSignIn(viewer, WATCHER.email, watcherTemp, WATCHER.password);
  await viewer.goto('/services/e2e-shop');
  const viewerRow = viewer.locator('[data-testid="check-row"][data-name="storefront"]');
  await expect(viewerRow.getByTestId('check-status')).toHaveAttribute('data-status', 'down');
  await expect(viewer.getByRole('button', { name: /new|edit|pause|resume|delete|create/i })).toHaveCount(0);

  // The public status page, signed out: the service and its state, and nothing private.
  const anonymous = await newPage(browser);
  const res = await anonymous.goto('/status');
  expect(res?.status()).toBe(200);
  const publicRow = anonymous.locator('[data-testid="status-service"][data-slug="e2e-shop"]');
  await expect(publicRow).toHaveAttribute('data-status', 'down');
  await expect(anonymous.getByTestId('status-overall')).toBeVisible();
  const html = await anonymous.content();
  for (const secret of [targetUrl, '127.0.0.1', 'storefront', 'refused']) expect(html).not.toContain(secret);
  await expect(anonymous.getByTestId('current-user')).toHaveCount(0);
});
