import { expect, test } from './fixtures';
import {
  API_URL,
  asAdmin,
  createServiceInConsole,
  createUserInConsole,
  firstSignIn,
  trpcFromPage,
} from './helpers';

const SERVICE = 'e2e-board-shop';

test('CI reports DEV over REST, the board shows it, a maintainer promotes it to FAT; a viewer sees the board without buttons', async ({
  openPage,
  request,
}) => {
  test.setTimeout(150_000);
  const admin = await openPage();
  await asAdmin(admin);
  await createServiceInConsole(admin, 'E2E Board Shop', SERVICE);
  const maintainerPassword = await createUserInConsole(admin, 'board-maintainer@e2e.local', 'maintainer');
  const viewerPassword = await createUserInConsole(admin, 'board-viewer@e2e.local', 'viewer');
  await admin.context().close();

  const page = await openPage();
  await firstSignIn(page, 'board-maintainer@e2e.local', maintainerPassword, 'board-maintainer-pass-1');
  const created = await trpcFromPage(page, 'apiKeys.create', { name: 'board CI', role: 'maintainer' });
  expect(created.status).toBe(200);
  const key = created.json.result.data.json.key as string;

  // CI that is not TypeScript: the plain REST edge, with the maintainer's key.
  const reported = await request.post(`${API_URL}/v1/deployments`, {
    headers: { authorization: `Bearer ${key}` },
    data: {
      service: SERVICE,
      environment: 'DEV',
      version: '1.4.2',
      state: 'succeeded',
      externalId: 'gh-e2e-1',
    },
  });
  expect(reported.status()).toBe(201);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Releases' }).click();
  await page.getByLabel('Search services').fill(SERVICE);
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.locator(`[data-testid="board-row"][data-service="${SERVICE}"]`);
  const dev = row.locator('[data-testid="board-cell"][data-env="DEV"]');
  const fat = row.locator('[data-testid="board-cell"][data-env="FAT"]');
  await expect(dev.getByTestId('cell-version')).toHaveText('1.4.2');
  // FAT runs nothing while DEV runs 1.4.2: drift, said in words.
  await expect(fat.getByTestId('cell-drift')).toHaveText('Drift: DEV runs 1.4.2');

  await dev.getByRole('button', { name: 'Promote to FAT' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('Queues 1.4.2 in FAT.', { exact: false })).toBeVisible();
  await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(fat.getByTestId('cell-next')).toContainText('1.4.2');
  await expect(fat.getByTestId('cell-next')).toContainText('queued');

  // FAT has not succeeded: promoting its queued release on to UAT is refused with the API's code, inline.
  const refused = await trpcFromPage(page, 'deployments.promote', {
    releaseId: (await trpcFromPage(page, 'releases.list', { service: SERVICE }, { method: 'GET' })).json
      .result.data.json.items[0].id,
    environment: 'UAT',
  });
  expect(refused.json.error.json.data.appCode).toBe('PROMOTION_PREVIOUS_NOT_SUCCEEDED');

  const viewer = await openPage();
  await firstSignIn(viewer, 'board-viewer@e2e.local', viewerPassword, 'board-viewer-pass-1');
  await viewer.goto('/releases');
  await viewer.getByLabel('Search services').fill(SERVICE);
  await viewer.getByRole('button', { name: 'Search' }).click();
  const seen = viewer.locator(`[data-testid="board-row"][data-service="${SERVICE}"]`);
  await expect(
    seen.locator('[data-testid="board-cell"][data-env="DEV"]').getByTestId('cell-version'),
  ).toHaveText('1.4.2');
  await expect(
    seen.locator('[data-testid="board-cell"][data-env="FAT"]').getByTestId('cell-next'),
  ).toContainText('queued');
  await expect(seen.getByRole('button')).toHaveCount(0);
});
