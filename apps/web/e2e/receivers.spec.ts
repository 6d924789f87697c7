import { expect, test } from './fixtures';
import { ADMIN, createUserInConsole, firstSignIn, signIn } from './helpers';

const SECRET = 'e2e-bearer-secret-41c9';

test('a webhook receiver keeps its secret masked, a test send shows the remote answer, a viewer only reads', async ({
  page,
  openPage,
}) => {
  test.setTimeout(180_000);
  const name = `e2e-hook-${Date.now()}`;
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole('link', { name: 'Receivers', exact: true }).click();
  await page.getByTestId('new-receiver').click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const hook = page.getByTestId('integration-editor');
  // A denied address is refused on its field, and nothing is saved.
  await hook.getByLabel('URL', { exact: true }).fill('http://169.254.169.254/latest');
  await hook.getByLabel('Bearer token').fill(SECRET);
  await page.getByRole('button', { name: 'Create receiver', exact: true }).click();
  await expect(hook.getByText(/cloud metadata/)).toBeVisible();
  await hook.getByLabel('URL', { exact: true }).fill('https://e2e-unreachable.invalid/hook');
  await page.getByRole('button', { name: 'Create receiver', exact: true }).click();

  // After saving, the secret is never shown again: the field says it is set.
  await expect(page.getByRole('heading', { name })).toBeVisible();
  const token = page.getByTestId('integration-editor').getByLabel('Bearer token');
  await expect(token).toHaveAttribute('data-secret-state', 'kept');
  await expect(token).toHaveValue('');
  expect(await page.content()).not.toContain(SECRET);

  await page.getByRole('link', { name: 'Receivers', exact: true }).first().click();
  const row = page.locator(`[data-testid="receiver-row"][data-name="${name}"]`);
  await row.getByRole('button', { name: 'Send test', exact: true }).click();
  const answer = row.getByTestId('test-answer');
  await expect(answer).toBeVisible({ timeout: 15_000 });
  await expect(answer).not.toContainText('success');
  await expect(answer).not.toBeEmpty();

  const viewerEmail = `receivers-viewer-${Date.now()}@e2e.local`;
  const temporary = await createUserInConsole(page, viewerEmail, 'viewer');
  const viewer = await openPage();
  await firstSignIn(viewer, viewerEmail, temporary, 'receivers-viewer-password-1');
  await viewer.getByRole('link', { name: 'Receivers', exact: true }).click();
  const seen = viewer.locator(`[data-testid="receiver-row"][data-name="${name}"]`);
  await expect(seen).toContainText('Webhook');
  await expect(seen.getByRole('button')).toHaveCount(0);
  await expect(viewer.getByTestId('new-receiver')).toHaveCount(0);
  await seen.getByRole('link', { name }).click();
  await expect(viewer.getByRole('heading', { name })).toBeVisible();
  await expect(viewer.getByRole('button', { name: /save|add|remove|delete/i })).toHaveCount(0);
});
