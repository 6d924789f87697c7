import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type AppRouter, createClient, TRPCClientError } from '@sextant/trpc/client';
import { OVERLOADED_API_MESSAGE, trpcErrorBody } from '@sextant/trpc/error-codes';
import { OVERLOADED_MESSAGE } from '../src/trpc/overload-link';
import { ADMIN, API_URL, createUserInConsole, firstSignIn, signIn, signOut, trpcFromPage } from './helpers';

test.describe.configure({ mode: 'serial' });

// Extra browsers opened here stay open across this serial file's tests, then close: left open, their 5-s polling
// kept the worker's renderer busy under the specs that run after this one.
const opened: BrowserContext[] = [];
async function openContext(browser: Browser) {
  const context = await browser.newContext();
  opened.push(context);
  return context;
}
test.afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
});

async function newSignedInPage(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await openContext(browser)).newPage();
  await signIn(page, email, password);
  return page;
}

const VIEWER = { email: 'viewer@e2e.local', password: 'viewer-own-password-1' };

test('admin creates a viewer; the viewer can look but not change anything; disabling cuts the viewer off within 5 s', async ({
  browser,
}) => {
  // Four browser contexts and about twenty steps: 30 s was too tight on a busy 2-core machine.
  test.setTimeout(90_000);
  const admin = await newSignedInPage(browser, ADMIN.email, ADMIN.password);
  const cookies = await admin.context().cookies();
  const session = cookies.find((c) => c.name.endsWith('authjs.session-token'));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');

  const temporary = await createUserInConsole(admin, VIEWER.email, 'viewer');
  await signOut(admin);

  // First sign-in with the temporary password forces a new one.
  const viewer = await (await openContext(browser)).newPage();
  await viewer.goto('/signin');
  await viewer.getByLabel('Email').fill(VIEWER.email);
  await viewer.getByLabel('Password').fill(temporary);
  await viewer.getByRole('button', { name: 'Sign in' }).click();
  await expect(viewer).toHaveURL(/\/account/);
  await viewer.getByLabel('Current password').fill(temporary);
  await viewer.getByLabel('New password', { exact: true }).fill(VIEWER.password);
  await viewer.getByLabel('Repeat new password').fill(VIEWER.password);
  await viewer.getByRole('button', { name: 'Change password' }).click();
  await expect(viewer.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(viewer.getByTestId('current-role')).toHaveText('viewer');
  await expect(viewer.getByTestId('version')).toBeVisible();

  // No way to change anything: no admin sections, no create/edit controls on any page it can open.
  const nav = viewer.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link')).toHaveText([
    'Overview',
    'Services',
    'Metrics',
    'Alerts',
    'Incidents',
    'Maintenance',
    'Releases',
    'Rollouts',
    'Flags',
    'DORA',
    'Projects',
    'Status pages',
    'Alert rules',
    'Silences',
    'Inhibition',
    'Receivers',
    'Routes',
    'Time intervals',
    'Notifications',
    'Account',
  ]);
  const looks = ['/', '/services', '/services/sextant-api', '/metrics', '/account'];
  for (const path of [
    ...looks,
    '/alerts',
    '/incidents',
    '/status-pages',
    '/alerts/rules',
    '/silences',
    '/inhibition',
    '/receivers',
    '/routes',
    '/time-intervals',
    '/notifications',
    '/projects',
    '/flags',
  ]) {
    await viewer.goto(path);
    await expect(
      viewer.getByRole('button', {
        name: /create|edit|delete|revoke|disable|enable|reset|new|pause|resume/i,
      }),
    ).toHaveCount(0);
  }
  for (const path of ['/users', '/api-keys', '/audit', '/settings']) {
    expect((await viewer.goto(path))?.status()).toBe(404);
  }

  // A hand-made mutation with the viewer's own cookie is refused by the API.
  const forged = await trpcFromPage(viewer, 'users.create', { email: 'evil@e2e.local', role: 'admin' });
  expect(forged.status).toBe(403);
  expect(forged.code).toBe('FORBIDDEN');

  // The admin disables the viewer; the viewer's next call fails within 5 s.
  const admin2 = await newSignedInPage(browser, ADMIN.email, ADMIN.password);
  await admin2.goto('/users');
  const row = admin2.locator(`[data-testid="user-row"][data-email="${VIEWER.email}"]`);
  await row.getByRole('button', { name: 'Disable' }).click();
  const disabledAt = Date.now();
  await expect(row.getByRole('button', { name: 'Enable' })).toBeVisible();
  await expect
    .poll(async () => (await trpcFromPage(viewer, 'me.get', null, { method: 'GET' })).status, {
      timeout: 5_000,
      intervals: [200],
    })
    .toBe(401);
  expect(Date.now() - disabledAt).toBeLessThan(5_000);
  await viewer.goto('/');
  await expect(viewer).toHaveURL(/\/signin/);
});

test('an API key created in the console works from a Node script until it is revoked', async ({
  browser,
}) => {
  const admin = await newSignedInPage(browser, ADMIN.email, ADMIN.password);
  await admin.goto('/api-keys');
  await admin.getByRole('button', { name: 'Create API key' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel('Name').fill('ci-pipeline');
  await dialog.getByLabel('Role').selectOption('maintainer');
  await dialog.getByRole('button', { name: 'Create API key' }).click();
  const key = (await admin.getByTestId('new-api-key').textContent())?.trim() ?? '';
  expect(key).toMatch(/^sxt_[A-Za-z0-9_-]{43,}$/);
  await admin.keyboard.press('Escape');

  const client = createClient({ url: `${API_URL}/trpc`, apiKey: key });
  const me = await client.me.get.query();
  expect(me).toMatchObject({ type: 'api_key', name: 'ci-pipeline', role: 'maintainer' });
  expect(await client.environments.list.query()).toHaveLength(4);

  const row = admin.locator('[data-testid="api-key-row"][data-name="ci-pipeline"]');
  await expect(row).toContainText(key.slice(0, 12));
  await expect(row).not.toContainText(key.slice(12, 30));
  await row.getByRole('button', { name: 'Revoke' }).click();
  await admin.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toContainText(/revoked/i);

  const err = await client.me.get.query().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCClientError);
  expect((err as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED');
});

test('a password reset shows the new temporary password once; it signs in, and reopening shows no secret', async ({
  browser,
}) => {
  const admin = await newSignedInPage(browser, ADMIN.email, ADMIN.password);
  const email = 'reset@e2e.local';
  await createUserInConsole(admin, email, 'viewer');
  const row = admin.locator(`[data-testid="user-row"][data-email="${email}"]`);
  await row.getByRole('button', { name: 'Reset password' }).click();
  const dialog = admin.getByRole('dialog');
  await expect(dialog).toContainText(`Reset password for ${email}?`);
  await dialog.getByRole('button', { name: 'Reset password' }).click();
  const temporary = (await dialog.getByTestId('temporary-password').textContent())?.trim() ?? '';
  expect(temporary.length).toBeGreaterThanOrEqual(12);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  await row.getByRole('button', { name: 'Reset password' }).click();
  await expect(dialog).toContainText(`Reset password for ${email}?`);
  await expect(dialog.getByTestId('temporary-password')).toHaveCount(0);
  await admin.keyboard.press('Escape');
  await firstSignIn(await (await openContext(browser)).newPage(), email, temporary, 'reset-own-password-1');
});

test('wrong email and wrong password get the same generic message', async ({ page }) => {
  for (const [email, password] of [
    ['nobody@e2e.local', 'whatever-password'],
    [ADMIN.email, 'not-the-password'],
  ]) {
    await page.goto('/signin');
    await page.getByLabel('Email').fill(email!);
    await page.getByLabel('Password').fill(password!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('form').getByRole('alert')).toHaveText('Wrong email or password.');
  }
});

test('cookie-authenticated writes from a foreign origin or as text/plain are refused and change nothing', async ({
  browser,
}) => {
  const admin = await newSignedInPage(browser, ADMIN.email, ADMIN.password);
  const api = admin.context().request;
  const body = JSON.stringify({ json: { email: 'csrf@e2e.local', role: 'admin' } });

  const foreign = await api.post('/api/trpc/users.create', {
    headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    data: body,
  });
  expect(foreign.status()).toBe(403);
  const plain = await api.post('/api/trpc/users.create', {
    headers: { 'content-type': 'text/plain', origin: new URL(admin.url()).origin },
    data: body,
  });
  // The API refuses it (403), or tRPC already does for the content type (415); either way nothing runs.
  expect([403, 415]).toContain(plain.status());

  const list = await trpcFromPage(admin, 'users.list', null, { method: 'GET' });
  expect(list.status).toBe(200);
  expect(JSON.stringify(list.json)).not.toContain('csrf@e2e.local');
});

test('after signing out, Back lands on sign-in, not on a cached console page', async ({ browser }) => {
  const page = await newSignedInPage(browser, ADMIN.email, ADMIN.password);
  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Account' })).toBeVisible();
  await signOut(page);
  await page.goBack();
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveCount(0);
});

test("an admin sees a user's sessions, ends one, and a failed load in the dialog can be retried", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const email = 'sessions@e2e.local';
  const admin = await newSignedInPage(browser, ADMIN.email, ADMIN.password);
  const temporary = await createUserInConsole(admin, email, 'maintainer');
  const user = await (await openContext(browser)).newPage();
  await firstSignIn(user, email, temporary, 'sessions-own-password-1');

  // The first read of the list fails (the API sheds load): the dialog says so and keeps the page.
  let failures = 2; // the first try and the query's one retry
  await admin.route('**/api/trpc/users.sessions**', (route) =>
    failures-- > 0
      ? route.fulfill({
          status: 503,
          headers: { 'retry-after': '10' },
          contentType: 'application/json',
          body: JSON.stringify(trpcErrorBody(503, OVERLOADED_API_MESSAGE)),
        })
      : route.continue(),
  );
  const row = admin.locator(`[data-testid="user-row"][data-email="${email}"]`);
  await row.getByRole('button', { name: 'Sessions' }).click();
  const dialog = admin.getByRole('dialog');
  await expect(dialog.getByRole('alert')).toContainText(OVERLOADED_MESSAGE);
  await expect(admin.getByTestId('users')).toBeAttached();
  await dialog.getByRole('button', { name: 'Try again' }).click();

  // Two sessions: the temporary password's (ended by the password change) and the live one.
  const live = dialog.locator('[data-testid="session-row"][data-state="live"]');
  await expect(live).toHaveCount(1);
  await live.getByRole('button', { name: 'End session' }).click();
  await expect(dialog.locator('[data-testid="session-row"][data-state="live"]')).toHaveCount(0);
  await expect
    .poll(async () => (await trpcFromPage(user, 'me.get', null, { method: 'GET' })).status, {
      timeout: 5_000,
    })
    .toBe(401);
});
