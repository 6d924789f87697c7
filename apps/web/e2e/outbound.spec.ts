import { expect, test } from '@playwright/test';
import { asAdmin, createServiceInConsole, localServer, setAllowList, submitNewCheck } from './helpers';

const target = localServer((_req, res) => res.end('ok'));

test('a local target is refused with the reason until an admin allow-lists 127.0.0.1; then the check works', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await asAdmin(page);
  // Start from the defaults whatever ran before: only the seeded entry for Sextant's own /readyz stays.
  await setAllowList(page, (entries) => entries.filter((e) => e !== '127.0.0.1'));
  await expect(page.getByLabel('Allowed', { exact: true })).toHaveValue(/^127\.0\.0\.1:\d+$/);
  await page.getByText('Always refused unless allowed below').click();
  await expect(page.getByTestId('outbound-built-in')).toContainText('127.0.0.0/8 — loopback');

  await createServiceInConsole(page, 'E2E Outbound', 'e2e-outbound');

  // A literal loopback address is refused as soon as the form is sent, saying why and where to allow it.
  const dialog = await submitNewCheck(page, 'e2e-outbound', {
    Name: 'local',
    URL: target.url('/health'),
    'Interval (seconds)': '10',
    'Failure threshold': '1',
  });
  await expect(dialog).toContainText(
    '127.0.0.1 is in 127.0.0.0/8 (loopback), which checks may not reach by default; an admin can allow it under Settings → Outbound.',
  );

  // A name is vetted when the probe resolves it: the check is saved, and its run shows the refusal.
  await dialog.getByLabel('URL').fill(`http://localhost:${target.port}/health`);
  await dialog.getByRole('button', { name: 'Create check' }).click();
  await expect(dialog).toBeHidden();
  const row = page.locator('[data-testid="check-row"][data-name="local"]');
  await expect(row.getByTestId('check-status')).toHaveAttribute('data-status', 'down', { timeout: 40_000 });
  await expect(row.getByTestId('check-error')).toContainText('(resolved from localhost)');
  await expect(row.getByTestId('check-error')).toContainText('which checks may not reach by default');
  await expect(
    row.getByTestId('check-error').getByRole('link', { name: 'Settings → Outbound' }),
  ).toHaveAttribute('href', '/settings#outbound');

  // The admin allows 127.0.0.1; the check, pointed at that address, comes UP.
  await setAllowList(page, (entries) => [...entries, '127.0.0.1']);
  await page.goto('/services/e2e-outbound');
  await row.getByRole('button', { name: 'Edit' }).click();
  await dialog.getByLabel('URL').fill(target.url('/health'));
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId('check-status')).toHaveAttribute('data-status', 'up', { timeout: 40_000 });
  await expect(row.getByTestId('check-error')).toHaveText('—');
});

test('the "deny private networks too" preset refuses internal addresses, and is undone by editing the list', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await asAdmin(page);
  await page.goto('/settings');
  await page.getByRole('button', { name: 'Deny private networks too' }).click();
  await expect(page.getByText('Outbound rules saved')).toBeVisible();
  const deny = page.getByLabel('Also refused', { exact: true });
  await expect(deny).toHaveValue(/10\.0\.0\.0\/8\n172\.16\.0\.0\/12\n192\.168\.0\.0\/16/);
  await expect(page.getByRole('button', { name: 'Deny private networks too' })).toBeDisabled();

  const dialog = await submitNewCheck(page, 'e2e-outbound', {
    Name: 'internal',
    URL: 'http://10.20.30.40/health',
  });
  await expect(dialog).toContainText(
    '10.20.30.40 is in 10.0.0.0/8, which an admin denied under Settings → Outbound.',
  );
  await page.keyboard.press('Escape');

  await page.goto('/settings');
  await deny.fill('');
  await page.getByRole('button', { name: 'Save outbound rules' }).click();
  await expect(page.getByText('Outbound rules saved')).toBeVisible();
  await expect(deny).toHaveValue('');
});
