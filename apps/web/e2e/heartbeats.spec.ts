import { expect, test } from '@playwright/test';
import { API_URL, asAdmin, createServiceInConsole } from './helpers';

test('a heartbeat’s ping URL is shown once; rotating it retires the old URL and shows the new one once', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await asAdmin(page);
  await createServiceInConsole(page, 'E2E Cron', 'e2e-cron');

  await page.goto('/services/e2e-cron');
  await page.getByRole('button', { name: 'New heartbeat' }).click();
  const form = page.getByRole('dialog');
  await form.getByLabel('Name', { exact: true }).fill('nightly backup');
  await form.getByLabel('Period (seconds)').fill('3600');
  await form.getByRole('button', { name: 'Create heartbeat' }).click();

  // Shown once, right after creation.
  const shown = page.getByRole('dialog', { name: 'New ping URL' });
  const first = (await shown.getByTestId('ping-url').textContent())?.trim() ?? '';
  expect(first).toMatch(new RegExp(`^${API_URL}/ping/[A-Za-z0-9_-]{24}$`));
  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toBeHidden();

  // Afterwards the row shows only the token's prefix, and says how to get a new URL.
  const row = page.locator('[data-testid="heartbeat-ping"][data-name="nightly backup"]');
  const token = first.slice(first.lastIndexOf('/') + 1);
  await expect(row.getByTestId('ping-url-prefix')).toHaveText(`${API_URL}/ping/${token.slice(0, 6)}…`);
  await expect(row).toContainText('Rotate to get a new one');
  expect(await page.content()).not.toContain(token);
  expect((await request.get(first)).status()).toBe(200);

  await row.getByRole('button', { name: 'Rotate URL' }).click();
  const confirm = page.getByRole('dialog');
  await expect(confirm).toContainText('stops working at once');
  await confirm.getByRole('button', { name: 'Rotate', exact: true }).click();
  const rotated = page.getByRole('dialog', { name: 'New ping URL' });
  const second = (await rotated.getByTestId('ping-url').textContent())?.trim() ?? '';
  expect(second).toMatch(new RegExp(`^${API_URL}/ping/[A-Za-z0-9_-]{24}$`));
  expect(second).not.toBe(first);
  await rotated.getByRole('button', { name: 'Done' }).click();

  // The old URL stops working, the new one works, and the page no longer holds either token.
  expect((await request.get(first)).status()).toBe(404);
  expect((await request.get(second)).status()).toBe(200);
  const newToken = second.slice(second.lastIndexOf('/') + 1);
  await expect(row.getByTestId('ping-url-prefix')).toHaveText(`${API_URL}/ping/${newToken.slice(0, 6)}…`);
  await page.reload();
  await expect(row.getByTestId('ping-url-prefix')).toBeVisible();
  expect(await page.content()).not.toContain(newToken);
});
