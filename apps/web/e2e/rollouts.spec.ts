import { expect, test } from './fixtures';
import {
  API_URL,
  asAdmin,
  createServiceInConsole,
  createUserInConsole,
  firstSignIn,
  trpcFromPage,
} from './helpers';

const SERVICE = 'e2e-rollout-shop';

test('issue 16 point 5: a rollout page that updates live, promote and abort by a maintainer; a viewer sees no buttons', async ({
  openPage,
  request,
}) => {
  test.setTimeout(180_000);
  const admin = await openPage();
  await asAdmin(admin);
  await createServiceInConsole(admin, 'E2E Rollout Shop', SERVICE);
  const maintainerPassword = await createUserInConsole(admin, 'rollout-maintainer@e2e.local', 'maintainer');
  const viewerPassword = await createUserInConsole(admin, 'rollout-viewer@e2e.local', 'viewer');
  await admin.context().close();

  const page = await openPage();
  await firstSignIn(page, 'rollout-maintainer@e2e.local', maintainerPassword, 'rollout-maintainer-pass-1');
  const created = await trpcFromPage(page, 'apiKeys.create', { name: 'rollout CI', role: 'maintainer' });
  expect(created.status).toBe(200);
  const auth = { authorization: `Bearer ${created.json.result.data.json.key as string}` };

  // 1.0.0 is the stable release in FAT; 1.1.0 exists (it succeeded in DEV) and is rolled out to FAT.
  for (const [environment, version] of [
    ['FAT', '1.0.0'],
    ['DEV', '1.1.0'],
  ]) {
    const reported = await request.post(`${API_URL}/v1/deployments`, {
      headers: auth,
      data: { service: SERVICE, environment, version, state: 'succeeded', externalId: `ro-${version}` },
    });
    expect(reported.status()).toBe(201);
  }
  const started = await trpcFromPage(page, 'rollouts.start', {
    service: SERVICE,
    environment: 'FAT',
    release: '1.1.0',
    steps: [{ type: 'setWeight', weight: 20 }, { type: 'pause' }, { type: 'setWeight', weight: 100 }],
  });
  expect(started.status).toBe(200);
  const id = started.json.result.data.json as string;

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rollouts' }).click();
  const row = page.locator(`[data-testid="rollout-row"][data-service="${SERVICE}"]`);
  await expect(row).toContainText('Progressing');
  await row.getByRole('link', { name: SERVICE }).click();
  await expect(page).toHaveURL(new RegExp(`/rollouts/${id}$`));
  await expect(page.getByTestId('rollout-step')).toHaveText('Step 1 of 3');
  await expect(page.getByTestId('rollout-reported')).toHaveText('nothing yet');

  // The deploy tool applies 20 %: the open page moves to step 2, paused at 20 %, without a reload.
  const applied = await request.post(`${API_URL}/v1/rollouts/${SERVICE}/FAT/status`, {
    headers: auth,
    data: { version: '1.1.0', weight: 20 },
  });
  expect(applied.ok()).toBe(true);
  await expect(page.getByTestId('rollout-state')).toHaveText('Paused');
  await expect(page.getByTestId('rollout-step')).toHaveText('Step 2 of 3');
  await expect(page.getByTestId('rollout-weight')).toHaveText('20 %');
  await expect(page.locator('[data-testid="rollout-step-item"][data-current="true"]')).toHaveText(
    '2. Pause until promoted',
  );
  await expect(page.getByTestId('rollout-reported')).toContainText('1.1.0 at 20 %');

  // Only legal actions are enabled: Retry is not, while paused.
  const actions = page.getByTestId('rollout-actions');
  await expect(actions.getByRole('button', { name: 'Retry' })).toBeDisabled();
  await actions.getByRole('button', { name: 'Promote', exact: true }).click();
  await expect(page.getByTestId('rollout-step')).toHaveText('Step 3 of 3');
  await expect(page.getByTestId('rollout-weight')).toHaveText('100 %');
  await expect(page.getByTestId('rollout-state')).toHaveText('Progressing');

  await actions.getByRole('button', { name: 'Abort' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Reason (optional)').fill('e2e: stop here');
  await dialog.getByRole('button', { name: 'Abort rollout' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('rollout-state')).toHaveText('Aborted');
  await expect(page.getByTestId('rollout-weight')).toHaveText('0 %');
  await expect(actions.getByRole('button', { name: 'Retry' })).toBeEnabled();
  await expect(actions.getByRole('button', { name: 'Promote', exact: true })).toBeDisabled();
  await expect(page.getByTestId('rollout-history')).toContainText('rollout.abort');

  const viewer = await openPage();
  await firstSignIn(viewer, 'rollout-viewer@e2e.local', viewerPassword, 'rollout-viewer-pass-1');
  await viewer.goto(`/rollouts/${id}`);
  await expect(viewer.getByTestId('rollout-state')).toHaveText('Aborted');
  await expect(viewer.getByTestId('rollout-steps')).toContainText('Set weight 100 %');
  await expect(viewer.getByTestId('rollout-header').getByRole('button')).toHaveCount(0);
  await expect(viewer.getByTestId('rollout-actions')).toHaveCount(0);
});
