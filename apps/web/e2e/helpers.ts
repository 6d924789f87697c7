import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page } from '@playwright/test';

export const ADMIN = { email: 'admin@e2e.local', password: 'e2e-admin-password' };
export const API_URL = `http://127.0.0.1:${process.env.E2E_API_PORT ?? '4210'}`;
export const WEB_URL = `http://127.0.0.1:${process.env.E2E_WEB_PORT ?? '3210'}`;

/** Signs in through the real form and waits for the console shell. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toHaveText(email);
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
}

/** A tRPC call from inside the page, with the page's own cookies: what a forged script would do. */
export function trpcFromPage(
  page: Page,
  path: string,
  input: unknown,
  init: { method?: string; headers?: Record<string, string> } = {},
) {
  return page.evaluate(
    async ({ path, input, init }) => {
      const isQuery = (init.method ?? 'POST') === 'GET';
      const body = JSON.stringify({ json: input });
      const res = await fetch(
        isQuery ? `/api/trpc/${path}?input=${encodeURIComponent(body)}` : `/api/trpc/${path}`,
        {
          method: init.method ?? 'POST',
          headers: isQuery ? init.headers : { 'content-type': 'application/json', ...init.headers },
          body: isQuery ? undefined : body,
        },
      );
      const json = await res.json().catch(() => null);
      return { status: res.status, code: json?.error?.json?.data?.code as string | undefined, json };
    },
    { path, input, init },
  );
}

/** Creates a user through the Users page (as the signed-in admin) and returns the one-time password. */
export async function createUserInConsole(
  page: Page,
  email: string,
  role: 'viewer' | 'maintainer' | 'admin',
) {
  await page.goto('/users');
  await page.getByRole('button', { name: 'Create user' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Role').selectOption(role);
  await dialog.getByRole('button', { name: 'Create user' }).click();
  const password = (await page.getByTestId('temporary-password').textContent())?.trim() ?? '';
  expect(password.length).toBeGreaterThanOrEqual(12);
  await page.keyboard.press('Escape');
  await expect(page.locator(`[data-testid="user-row"][data-email="${email}"]`)).toBeVisible();
  return password;
}

/** First sign-in with a temporary password, which the console makes the user replace. */
export async function firstSignIn(page: Page, email: string, temporary: string, password: string) {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(temporary);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account/);
  await page.getByLabel('Current password').fill(temporary);
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Repeat new password').fill(password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
}

/** Sets the Settings page's outbound allow list (as the signed-in admin), keeping the entries `keep` accepts. */
export async function setAllowList(page: Page, change: (entries: string[]) => string[]) {
  await page.goto('/settings');
  const field = page.getByLabel('Allowed', { exact: true });
  await expect(field).toBeVisible();
  const entries = (await field.inputValue()).split('\n').filter(Boolean);
  await field.fill(change(entries).join('\n'));
  await page.getByRole('button', { name: 'Save outbound rules' }).click();
  await expect(page.getByText('Outbound rules saved')).toBeVisible();
}

/** Loopback is refused to checks by default; local test targets need this explicit admin allow entry. */
export function allowLoopbackTargets(page: Page) {
  return setAllowList(page, (entries) => [...new Set([...entries, '127.0.0.1'])]);
}

/** Creates a service through the console's dialog and waits for its row in the list. */
export async function createServiceInConsole(
  page: Page,
  name: string,
  slug: string,
  opts: { public?: boolean } = {},
) {
  await page.goto('/services');
  await page.getByRole('button', { name: 'New service' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  if (opts.public) await dialog.getByLabel('Show on public status page').check();
  await dialog.getByRole('button', { name: 'Create service' }).click();
  await expect(page.locator(`[data-testid="service-row"][data-slug="${slug}"]`)).toBeVisible();
}

/** A local HTTP server on a free port of 127.0.0.1, for checks and scrapes to reach; `origin` has no slash. */
export async function listenLocally(handler: RequestListener): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Stops it at once, kept-alive connections included. */
export function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}
