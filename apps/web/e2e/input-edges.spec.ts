import { expect, test } from '@playwright/test';
import { ADMIN, createUserInConsole, firstSignIn, signIn, signOut } from './helpers';

test('an oversized tRPC body gets 413 through the console proxy, not a 502', async ({ request }) => {
  // 20 MB: the API answered while the proxy was still uploading, and closed; the proxy saw a failed fetch.
  for (let i = 0; i < 3; i++) {
    const res = await request.post('/api/trpc/services.create', {
      headers: { 'content-type': 'application/json' },
      data: Buffer.alloc(20 * 1_048_576, 97),
    });
    expect(res.status()).toBe(413);
    expect((await res.json()).error.json.data.appCode).toBe('PAYLOAD_TOO_LARGE');
  }
});

test('a maintainer cannot put a new service on the public status page', async ({ page }) => {
  test.setTimeout(90_000); // two sign-ins and a password change: argon2 on a busy 2-core machine
  const email = `maint-${Date.now()}@e2e.local`;
  await signIn(page, ADMIN.email, ADMIN.password);
  const temporary = await createUserInConsole(page, email, 'maintainer');
  await signOut(page);
  await firstSignIn(page, email, temporary, 'maintainer e2e password');

  await page.goto('/services');
  await page.getByRole('button', { name: 'New service' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('Show on public status page')).toBeDisabled();
  await expect(dialog.getByText('Only an admin can put a service on the public status page.')).toBeVisible();
  await dialog.getByLabel('Name').fill(`Maintained ${Date.now()}`);
  await dialog.getByRole('button', { name: 'Create service' }).click();
  await expect(dialog).toBeHidden();
});
