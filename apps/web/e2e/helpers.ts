import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';

export const ADMIN = { email: 'admin@e2e.local', password: 'e2e-admin-password' };
/** What the API seeds the admin with (SEXTANT_ADMIN_PASSWORD); it must be replaced at first sign-in. */
export const ADMIN_FIRST_PASSWORD = 'e2e-first-admin-password';
export const API_URL = `http://127.0.0.1:${process.env.E2E_API_PORT ?? '4210'}`;
export const WEB_URL = `http://127.0.0.1:${process.env.E2E_WEB_PORT ?? '3210'}`;

/** The admin's cookies, saved by admin.setup.ts after its real sign-in (gitignored; remade every run). */
export const ADMIN_STATE = path.join(import.meta.dirname, '..', 'playwright', '.auth', 'admin.json');

/**
 * Puts admin.setup.ts's session into the page's context and opens the Overview: for specs that are not about
 * signing in (those sign in through the form). Never sign out of it: that would end the session for every spec.
 */
export async function asAdmin(page: Page) {
  await page.context().addCookies(JSON.parse(readFileSync(ADMIN_STATE, 'utf8')).cookies);
  await page.goto('/');
  await expect(page.getByTestId('current-user')).toHaveText(ADMIN.email);
}

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

/** A local HTTP server for the spec's tests: started before them, closed after; `url(path)` addresses it. */
export function localServer(handler: RequestListener) {
  const local = {
    server: createServer(handler) as Server,
    port: 0,
    url: (path: string) => `http://127.0.0.1:${local.port}${path}`,
  };
  test.beforeAll(async () => {
    await new Promise<void>((r) => local.server.listen(0, '127.0.0.1', r));
    local.port = (local.server.address() as AddressInfo).port;
  });
  test.afterAll(() => {
    local.server.closeAllConnections();
    local.server.close();
  });
  return local;
}

/** Creates a service through the Services page and waits for its row (`isPublic` ticks the status-page box). */
export async function createServiceInConsole(page: Page, name: string, slug: string, isPublic = false) {
  await page.goto('/services');
  await page.getByRole('button', { name: 'New service' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  if (isPublic) await dialog.getByLabel('Show on public status page').check();
  await dialog.getByRole('button', { name: 'Create service' }).click();
  await expect(page.locator(`[data-testid="service-row"][data-slug="${slug}"]`)).toBeVisible();
}

/** Opens a service's "New check" form, fills the fields (by exact label, in order) and submits it. */
export async function submitNewCheck(page: Page, slug: string, fields: Record<string, string>) {
  await page.goto(`/services/${slug}`);
  await page.getByRole('button', { name: 'New check' }).click();
  const dialog = page.getByRole('dialog');
  for (const [label, value] of Object.entries(fields))
    await dialog.getByLabel(label, { exact: true }).fill(value);
  await dialog.getByRole('button', { name: 'Create check' }).click();
  return dialog;
}

/**
 * What a uPlot chart's legend reads (time first, then each series) with the cursor at `fraction` of the plot's
 * width: the chart is a canvas, so this is how a test sees that it drew its data across the x axis.
 */
export async function chartLegendAt(chart: Locator, fraction: number): Promise<string[]> {
  const over = chart.locator('.u-over');
  const box = await over.boundingBox();
  if (!box) throw new Error('the chart has no plot area');
  await over.hover({ position: { x: box.width * fraction, y: box.height / 2 } });
  return chart
    .locator('.u-legend .u-series .u-value')
    .evaluateAll((values) => values.map((v) => v.textContent ?? ''));
}
