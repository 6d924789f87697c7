import { expect, test } from '@playwright/test';
import {
  allowLoopbackTargets,
  asAdmin,
  createServiceInConsole,
  localServer,
  submitNewCheck,
} from './helpers';

const SECRET = 'e2e-header-secret-7f3a';
/** Requests that carried the secret header. */
let authorized = 0;

// Answers 200 only with the secret, so a check that lost it would go DOWN.
const target = localServer((req, res) => {
  const ok = req.headers.authorization === `Bearer ${SECRET}`;
  if (ok) authorized += 1;
  res.statusCode = ok ? 200 : 401;
  res.end(ok ? 'ok' : 'who are you?');
});

test('a secret header is masked in the console and kept when the check is edited without touching it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await asAdmin(page);
  await allowLoopbackTargets(page);
  await createServiceInConsole(page, 'E2E Secrets', 'e2e-secrets');
  const dialog = await submitNewCheck(page, 'e2e-secrets', {
    Name: 'private api',
    URL: target.url('/private'),
    'Headers (optional)': `Authorization: Bearer ${SECRET}\nAccept: text/plain`,
    'Interval (seconds)': '10',
  });
  await expect(dialog).toBeHidden();
  const row = page.locator('[data-testid="check-row"][data-name="private api"]');
  await expect(row.getByTestId('check-status')).toHaveAttribute('data-status', 'up', { timeout: 40_000 });
  expect(await page.content()).not.toContain(SECRET);

  // The form shows the header masked, says so, and a rename sends the mask back.
  await row.getByRole('button', { name: 'Edit' }).click();
  const headers = dialog.getByLabel('Headers (optional)');
  // jsonb orders keys by length, so Accept comes first.
  await expect(headers).toHaveValue('Accept: text/plain\nAuthorization: ••••••••');
  await expect(dialog).toContainText('Masked values are stored secrets: unchanged — type to replace.');
  await dialog.getByLabel('Name', { exact: true }).fill('private api v2');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  // The next runs still carry the secret: the target keeps seeing it and the check stays UP.
  const renamed = page.locator('[data-testid="check-row"][data-name="private api v2"]');
  const before = authorized;
  await expect.poll(() => authorized, { timeout: 30_000 }).toBeGreaterThan(before);
  await expect(renamed.getByTestId('check-status')).toHaveAttribute('data-status', 'up');
  expect(await page.content()).not.toContain(SECRET);
});
