import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { asAdmin, createServiceInConsole, createUserInConsole, firstSignIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const PUBLIC_SLUG = 'e2e-public-status';
const PRIVATE_SLUG = 'e2e-private-status';
const FOOTER = 'Questions? support@e2e.example';

/** Fills the new-page form's top fields (the environments stay all ticked). */
async function startPage(admin: Page, title: string, slug: string, visibility: 'public' | 'private') {
  await admin.goto('/status-pages');
  await admin.getByRole('link', { name: 'New status page' }).click();
  await admin.getByLabel('Title', { exact: true }).fill(title);
  await admin.getByLabel('Address', { exact: true }).fill(slug);
  await admin.getByLabel('Visibility', { exact: true }).selectOption(visibility);
}

test('an admin publishes a status page; visitors see it signed out; a private one asks for sign-in; a viewer only reads the list', async ({
  openPage,
}) => {
  // Three browsers, two services, two pages and a user: about forty steps on a busy 2-core machine.
  test.setTimeout(300_000);
  const admin = await openPage();
  await asAdmin(admin);
  await createServiceInConsole(admin, 'E2E Status Shop', 'e2e-status-shop', true);
  await createServiceInConsole(admin, 'E2E Status Internal', 'e2e-status-internal');

  // The shared schema refuses an empty title next to its field before anything is sent.
  await admin.goto('/status-pages/new');
  await admin.getByRole('button', { name: 'Create status page' }).click();
  await expect(admin.getByText('Give the page a title.')).toBeVisible();

  // A public page is offered public services only.
  await startPage(admin, 'E2E Public Status', PUBLIC_SLUG, 'public');
  const picker = admin.getByLabel('Add component');
  await expect(picker.locator('option', { hasText: 'E2E Status Internal' })).toHaveCount(0);
  await picker.selectOption({ label: 'E2E Status Shop' });
  await admin.getByRole('button', { name: 'Add', exact: true }).click();
  await admin.getByLabel('Group of E2E Status Shop').fill('Storefront');
  await admin.getByLabel('Footer (optional)').fill(FOOTER);
  await admin.getByRole('button', { name: 'Create status page' }).click();
  await expect(admin).toHaveURL(/\/status-pages$/);
  const row = admin.locator(`[data-testid="status-page-row"][data-slug="${PUBLIC_SLUG}"]`);
  await expect(row.getByTestId('status-page-visibility')).toHaveText('public');
  await expect(row.getByRole('cell').nth(3)).toHaveText('1');
  await expect(row.getByTestId('status-page-link')).toHaveAttribute('href', `/status/${PUBLIC_SLUG}`);

  // Signed out: the page, its component in words, 90 bars with today's last, the footer.
  const visitor = await openPage();
  expect((await visitor.goto(`/status/${PUBLIC_SLUG}`))?.status()).toBe(200);
  await expect(visitor.getByTestId('status-title')).toHaveText('E2E Public Status');
  await expect(visitor.getByTestId('status-overall')).toBeVisible();
  const group = visitor.locator('[data-testid="status-group"][data-group="Storefront"]');
  await expect(group.getByRole('heading', { name: 'Storefront' })).toBeVisible();
  const component = group.locator('[data-testid="status-service"][data-slug="e2e-status-shop"]');
  await expect(component.getByTestId('status-service-state')).toHaveText(/^(Operational|No data)$/);
  const bars = component.getByTestId('strip-bar');
  await expect(bars).toHaveCount(90);
  const today = component.locator('[data-testid="strip-bar"][data-last="true"]');
  await expect(today).toHaveAttribute('data-key', new Date().toISOString().slice(0, 10));
  await expect(today).toHaveClass(/bg-(success|warning|destructive|muted-foreground)/);
  // Read again: the copy the console keeps for this page version, under a policy of script hashes instead of a
  // nonce; the keyboard tooltip below needs the page hydrated, so its scripts ran under that policy.
  const violations: string[] = [];
  visitor.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const cached = await visitor.reload();
  expect(cached?.headers()['x-sextant-cache']).toBe('hit');
  expect(cached?.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
  expect(cached?.headers()['content-security-policy']).not.toContain("'nonce-");
  // Keyboard reaches the tooltip: date, uptime and the day's incidents.
  await today.focus();
  const tooltip = component.getByTestId('strip-tooltip');
  await expect(tooltip).toContainText(new Date().toISOString().slice(0, 10));
  await expect(tooltip).toContainText(/uptime|No data/);
  await expect(tooltip).toContainText('No incidents');
  expect(violations).toEqual([]);
  await expect(visitor.getByTestId('status-footer')).toHaveText(FOOTER);
  await expect(visitor.getByTestId('status-history')).toContainText('No incidents in the last 90 days.');
  await expect(visitor.getByText('E2E Status Internal')).toHaveCount(0);
  await expect(visitor.getByTestId('current-user')).toHaveCount(0);

  // /status is the same rendering: the public service is there too.
  await visitor.goto('/status');
  await expect(visitor.locator('[data-testid="status-service"][data-slug="e2e-status-shop"]')).toBeVisible();
  await expect(visitor.getByTestId('strip-bar').first()).toBeVisible();

  // The machine-readable edges answer at the page's own address on the console's origin, with the API's headers.
  const summary = await visitor.request.get(`/status/${PUBLIC_SLUG}/api/v2/summary.json`);
  expect(summary.status()).toBe(200);
  expect(summary.headers()['access-control-allow-origin']).toBe('*');
  expect(summary.headers()['cache-control']).toMatch(/^public, max-age=\d+$/);
  const body = await summary.json();
  expect(body.page.name).toBe('E2E Public Status');
  expect(body.components.map((c: { name: string }) => c.name)).toContain('E2E Status Shop');
  expect(JSON.stringify(body)).not.toContain('E2E Status Internal');
  const again = await visitor.request.get(`/status/${PUBLIC_SLUG}/api/v2/summary.json`, {
    headers: { 'if-none-match': summary.headers().etag! },
  });
  expect(again.status()).toBe(304);
  const badge = await visitor.request.get(`/status/${PUBLIC_SLUG}/components/e2e-status-shop/uptime-7d.svg`);
  expect(badge.headers()['content-type']).toContain('image/svg+xml');
  expect(await badge.text()).toContain('<svg');
  expect((await visitor.request.get(`/status/${PUBLIC_SLUG}/history.atom`)).status()).toBe(200);
  expect((await visitor.request.get(`/status/${PUBLIC_SLUG}/api/v2/secrets.json`)).status()).toBe(404);

  // A private page may show a private service; switching it to public is refused next to that component.
  await startPage(admin, 'E2E Private Status', PRIVATE_SLUG, 'private');
  await admin.getByLabel('Add component').selectOption({ label: 'E2E Status Internal' });
  await admin.getByRole('button', { name: 'Add', exact: true }).click();
  await admin.getByLabel('Visibility', { exact: true }).selectOption('public');
  await admin.getByRole('button', { name: 'Create status page' }).click();
  await expect(admin.getByTestId('component-error')).toContainText('is not public');
  await admin.getByLabel('Visibility', { exact: true }).selectOption('private');
  await admin.getByRole('button', { name: 'Create status page' }).click();
  await expect(admin.locator(`[data-testid="status-page-row"][data-slug="${PRIVATE_SLUG}"]`)).toBeVisible();

  // Signed out, the private page sends to sign-in and back; an unknown page is the not-found page.
  await visitor.goto(`/status/${PRIVATE_SLUG}`);
  await expect(visitor).toHaveURL(new RegExp(`/signin\\?callbackUrl=%2Fstatus%2F${PRIVATE_SLUG}$`));
  expect((await visitor.request.get(`/status/${PRIVATE_SLUG}/api/v2/summary.json`)).status()).toBe(404);
  expect((await visitor.goto('/status/e2e-no-such-page'))?.status()).toBe(404);
  await expect(visitor.getByRole('heading', { name: 'Page not found' })).toBeVisible();

  // A viewer reads the list and opens the pages, with no controls to change them.
  const password = await createUserInConsole(admin, 'status-viewer@e2e.local', 'viewer');
  const viewer = await openPage();
  await firstSignIn(viewer, 'status-viewer@e2e.local', password, 'status-viewer-pass-1');
  await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Status pages' }).click();
  await expect(viewer.locator(`[data-testid="status-page-row"][data-slug="${PUBLIC_SLUG}"]`)).toBeVisible();
  await expect(viewer.getByRole('button', { name: /edit|delete|new/i })).toHaveCount(0);
  await expect(viewer.getByRole('link', { name: /new status page|edit/i })).toHaveCount(0);
  expect((await viewer.goto('/status-pages/new'))?.status()).toBe(404);
  expect((await viewer.goto(`/status/${PRIVATE_SLUG}`))?.status()).toBe(200);
  await expect(viewer.getByTestId('status-title')).toHaveText('E2E Private Status');

  // The admin deletes the private page after confirming; its address is gone.
  await admin.goto('/status-pages');
  const privateRow = admin.locator(`[data-testid="status-page-row"][data-slug="${PRIVATE_SLUG}"]`);
  await privateRow.getByRole('button', { name: 'Delete' }).click();
  await admin.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await expect(privateRow).toHaveCount(0);
  expect((await viewer.goto(`/status/${PRIVATE_SLUG}`))?.status()).toBe(404);
});
