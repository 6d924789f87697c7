import { expect, test } from './fixtures';
import {
  allowLoopbackTargets,
  asAdmin,
  createServiceInConsole,
  createUserInConsole,
  firstSignIn,
  localServer,
  submitNewCheck,
} from './helpers';

test.describe.configure({ mode: 'serial' });

const MAINTAINER = { email: 'maintainer@e2e.local', password: 'maintainer-password-1' };
const WATCHER = { email: 'watcher@e2e.local', password: 'watcher-password-1' };

// The service under watch: a local server the test stops halfway.
const target = localServer((_req, res) => res.end('ok'));

test('a maintainer watches a service go DOWN live; a viewer sees it read-only; /status shows it signed out', async ({
  openPage,
}) => {
  test.setTimeout(240_000);
  const admin = await openPage();
  await asAdmin(admin);
  await allowLoopbackTargets(admin); // the target listens on 127.0.0.1
  const maintainerTemp = await createUserInConsole(admin, MAINTAINER.email, 'maintainer');
  const watcherTemp = await createUserInConsole(admin, WATCHER.email, 'viewer');

  // A service, public on the status page: publishing is an admin's decision.
  await createServiceInConsole(admin, 'E2E Shop', 'e2e-shop', true);

  const maintainer = await openPage();
  await firstSignIn(maintainer, MAINTAINER.email, maintainerTemp, MAINTAINER.password);

  // An HTTP check against the local target; one failure is enough to call it DOWN.
  const targetUrl = target.url('/health');
  await submitNewCheck(maintainer, 'e2e-shop', {
    Name: 'storefront',
    URL: targetUrl,
    'Interval (seconds)': '10',
    'Timeout (ms)': '2000',
    'Failure threshold': '1',
  });

  const row = maintainer.locator('[data-testid="check-row"][data-name="storefront"]');
  await expect(row).toBeVisible();
  await expect(row.getByTestId('check-status')).toHaveAttribute('data-status', 'up', { timeout: 30_000 });
  await expect(row.getByTestId('check-latency')).toHaveText(/\d+(\.\d+)? ms/);

  // The target dies; the page, never reloaded, turns DOWN by itself.
  const url = maintainer.url();
  target.server.closeAllConnections();
  await new Promise<void>((r) => target.server.close(() => r()));
  await expect(row.getByTestId('check-status')).toHaveAttribute('data-status', 'down', { timeout: 40_000 });
  expect(maintainer.url()).toBe(url);
  await expect(maintainer.getByTestId('service-status')).toHaveAttribute('data-status', 'down');
  await expect(row.getByTestId('check-error')).toContainText(/refused/i);

  // A viewer sees the same state and has nothing to press.
  const viewer = await openPage();
  await firstSignIn(viewer, WATCHER.email, watcherTemp, WATCHER.password);
  await viewer.goto('/services/e2e-shop');
  const viewerRow = viewer.locator('[data-testid="check-row"][data-name="storefront"]');
  await expect(viewerRow.getByTestId('check-status')).toHaveAttribute('data-status', 'down');
  await expect(viewer.getByRole('button', { name: /new|edit|pause|resume|delete|create/i })).toHaveCount(0);

  // The public status page, signed out: the service and its state, and nothing private.
  const anonymous = await openPage();
  const res = await anonymous.goto('/status');
  expect(res?.status()).toBe(200);
  const publicRow = anonymous.locator('[data-testid="status-service"][data-slug="e2e-shop"]');
  await expect(publicRow).toHaveAttribute('data-status', 'major_outage');
  await expect(anonymous.getByTestId('status-overall')).toBeVisible();
  const html = await anonymous.content();
  for (const secret of [targetUrl, '127.0.0.1', 'storefront', 'refused']) expect(html).not.toContain(secret);
  await expect(anonymous.getByTestId('current-user')).toHaveCount(0);
});
