import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  ADMIN,
  API_URL,
  createServiceInConsole,
  createUserInConsole,
  firstSignIn,
  signIn,
  trpcFromPage,
} from './helpers';

// Issue 16's DORA page: CI reports PRO deployments over the REST edge, the dashboard shows their counts; a viewer
// reads it and finds nothing to press.
const RUN = Date.now().toString(36);
const SERVICE = `dora-shop-${RUN}`;
const VIEWER = { email: `dora-viewer-${RUN}@e2e.local`, password: `dora-viewer-pass-${RUN}` };

async function call(page: Page, path: string, input: unknown, method: 'GET' | 'POST' = 'POST') {
  const r = await trpcFromPage(page, path, input, { method });
  expect(r.status, `${path}: ${JSON.stringify(r.json)}`).toBe(200);
  return r.json.result.data.json;
}

/** One `POST /v1/deployments` as CI sends it, finished `hoursAgo`, with one commit two hours before. */
async function report(key: string, n: number, environment: string, state: string, hoursAgo: number) {
  const at = new Date(Date.now() - hoursAgo * 3_600_000);
  const sha = `${n.toString(16).padStart(2, '0')}${RUN.slice(-5).replace(/[^0-9a-f]/g, 'a')}beef`;
  const res = await fetch(`${API_URL}/v1/deployments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      service: SERVICE,
      environment,
      version: `1.0.${n}`,
      commits: [{ sha, committedAt: new Date(at.getTime() - 2 * 3_600_000).toISOString() }],
      state,
      externalId: `dora-${RUN}-${n}`,
      at: at.toISOString(),
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

test('CI reports PRO deployments; the DORA page shows their counts; a viewer reads it and can press nothing', async ({
  openPage,
}) => {
  test.setTimeout(120_000);
  const admin = await openPage();
  await signIn(admin, ADMIN.email, ADMIN.password);
  await createServiceInConsole(admin, `Dora Shop ${RUN}`, SERVICE);
  const { key } = await call(admin, 'apiKeys.create', { name: `dora ${RUN}`, role: 'maintainer' });
  // Three succeeded and one failed in PRO; a FAT deployment counts nowhere (requirement 13).
  await report(key, 1, 'PRO', 'succeeded', 30);
  await report(key, 2, 'PRO', 'succeeded', 20);
  await report(key, 3, 'PRO', 'failed', 10);
  await report(key, 4, 'PRO', 'succeeded', 5);
  await report(key, 5, 'FAT', 'succeeded', 4);

  await admin.goto('/dora?days=7');
  await expect(admin.getByRole('heading', { name: 'DORA' })).toBeVisible();
  const row = admin.getByTestId('dora-service-row').filter({ hasText: `Dora Shop ${RUN}` });
  // Deploys 3; lead time 2 h over 3 commits; CFR 1 of 4 = 25 %; no incidents: insufficient data.
  await expect(row.getByRole('cell')).toHaveText([
    `Dora Shop ${RUN}`,
    /^—?$/,
    '3',
    /2(\.0)? ?h.*\(3\)/,
    '25 % (1/4)',
    'insufficient data (0)',
  ]);
  await expect(admin.getByTestId('dora-change-failure-rate-band')).toContainText(/\(20\d\d\)/);

  const temporary = await createUserInConsole(admin, VIEWER.email, 'viewer');
  const viewer = await openPage();
  await firstSignIn(viewer, VIEWER.email, temporary, VIEWER.password);
  await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'DORA' }).click();
  await expect(viewer).toHaveURL(/\/dora/);
  await viewer.getByRole('link', { name: '30 days' }).click();
  await expect(viewer).toHaveURL(/days=30/);
  await expect(viewer.getByTestId('dora-service-row').filter({ hasText: `Dora Shop ${RUN}` })).toBeVisible();
  await expect(viewer.getByRole('main').getByRole('button')).toHaveCount(0);
});
