import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { asAdmin, createServiceInConsole, createUserInConsole, firstSignIn } from './helpers';

const TITLE = `Checkout errors ${Date.now()}`;
const SCRIPT = '<script>window.__x=1</script>';

/** The status badge, and the moves the page offers from it (in the transition table's order). */
async function expectMoves(page: Page, status: string, moves: string[]) {
  await expect(page.getByTestId('incident-status')).toHaveText(status);
  await expect(page.getByTestId('incident-actions').getByRole('button')).toHaveText(moves);
}

test('a maintainer declares an incident, acknowledges, moves and resolves it, and posts updates that stay inert text; a viewer only reads', async ({
  openPage,
}) => {
  test.setTimeout(150_000);
  const admin = await openPage();
  await asAdmin(admin);
  await createServiceInConsole(admin, 'E2E Incident Shop', 'e2e-incident-shop');
  const maintainerPassword = await createUserInConsole(admin, 'incident-maintainer@e2e.local', 'maintainer');
  const viewerPassword = await createUserInConsole(admin, 'incident-viewer@e2e.local', 'viewer');

  const page = await openPage();
  await firstSignIn(page, 'incident-maintainer@e2e.local', maintainerPassword, 'incident-maintainer-pass-1');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
  await page.getByRole('link', { name: 'Declare incident' }).click();

  // A title is required: refused next to its field by the shared schema, nothing sent.
  await page.getByRole('button', { name: 'Declare incident' }).click();
  await expect(page.getByText('An incident needs a title.')).toBeVisible();
  await page.getByLabel('Title', { exact: true }).fill(TITLE);
  await page.getByLabel('Severity', { exact: true }).selectOption('SEV2');
  await page.getByRole('button', { name: 'Add affected service' }).click();
  await page.getByLabel('Affected service 1', { exact: true }).selectOption({ label: 'E2E Incident Shop' });
  await page.getByLabel('Environment 1').selectOption({ label: 'PRO' });
  await page.getByLabel('Impact 1').selectOption('major_outage');
  await page.getByRole('button', { name: 'Declare incident' }).click();

  await expect(page).toHaveURL(/\/incidents\/[0-9a-f-]{36}$/);
  const incidentUrl = page.url();
  await expect(page.getByRole('heading', { name: TITLE })).toBeVisible();
  await expect(page.getByTestId('incident-severity')).toHaveText('SEV2');
  await expect(page.getByTestId('incident-impact')).toHaveText(['E2E Incident Shop in PRO: Major outage']);
  await expectMoves(page, 'Investigating', ['Acknowledge', 'Mark identified', 'Mark monitoring', 'Resolve']);

  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expectMoves(page, 'Investigating', ['Mark identified', 'Mark monitoring', 'Resolve']);
  await expect(page.getByTestId('incident-acknowledged')).not.toHaveText('—');

  await page.getByRole('button', { name: 'Mark identified' }).click();
  await expectMoves(page, 'Identified', ['Mark monitoring', 'Resolve']);
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expectMoves(page, 'Resolved', ['Reopen']);
  await expect(page.getByTestId('incident-resolved')).not.toHaveText('—');

  const updates = page.getByTestId('incident-update');
  await page.getByLabel('Update', { exact: true }).fill(`Public: fixed.\n${SCRIPT}`);
  await page.getByRole('button', { name: 'Post update' }).click();
  await expect(updates.first()).toContainText('Public: fixed.');
  await expect(page.getByLabel('Update', { exact: true })).toHaveValue('');
  await page.getByLabel('Update', { exact: true }).fill(`Internal: the cause was a bad deploy.\n${SCRIPT}`);
  await page.getByLabel('Internal (never on a status page)').check();
  await page.getByRole('button', { name: 'Post update' }).click();

  // Newest first: the internal one (marked), the public one, then the two status notes.
  await expect(updates).toHaveCount(4);
  await expect(updates.nth(0)).toHaveAttribute('data-visibility', 'internal');
  await expect(updates.nth(0).getByTestId('internal-mark')).toHaveText('internal');
  await expect(updates.nth(0).getByTestId('incident-update-body')).toHaveText(
    `Internal: the cause was a bad deploy.\n${SCRIPT}`,
  );
  await expect(updates.nth(1)).toHaveAttribute('data-visibility', 'public');
  await expect(updates.nth(1).getByTestId('internal-mark')).toHaveCount(0);
  await expect(updates.nth(1).getByTestId('incident-update-body')).toHaveText(`Public: fixed.\n${SCRIPT}`);
  await expect(updates.nth(2)).toContainText('Status changed from identified to resolved.');
  // Shown as text: no script element was made and it never ran.
  await expect(page.getByTestId('incident-timeline').locator('script')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __x?: unknown }).__x)).toBeUndefined();

  // The postmortem: text saved, and an action item with an owner and a due day, then done.
  await page.getByLabel('Summary').fill('Checkout failed for 12 minutes.');
  await page.getByRole('button', { name: 'Save postmortem' }).click();
  await expect(page.getByText('Postmortem saved.')).toBeVisible();
  await page.getByLabel('New action item').fill('Alert on payment error ratio');
  await page.getByLabel('Owner').selectOption({ label: 'incident-viewer@e2e.local' });
  await page.getByLabel('Due').fill('2030-02-14');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const item = page.getByTestId('action-item');
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('action-item-owner')).toHaveText('incident-viewer@e2e.local');
  await expect(item.getByTestId('action-item-due')).toHaveText('due 2030-02-14');
  await expect(page.getByLabel('New action item')).toHaveValue('');
  await item.getByLabel('Done: Alert on payment error ratio').check();
  await expect(item).toHaveAttribute('data-done', 'true');

  // The list: gone from Open, under Resolved with its severity, status and one affected service.
  await page.goto('/incidents');
  await expect(page.getByRole('link', { name: TITLE })).toHaveCount(0);
  await page.getByRole('link', { name: 'Resolved', exact: true }).click();
  const row = page.locator('[data-testid="incident-row"]', { hasText: TITLE });
  await expect(row).toHaveAttribute('data-status', 'resolved');
  await expect(row.getByRole('cell').nth(1)).toHaveText('SEV2');
  await expect(row.getByRole('cell').nth(2)).toHaveText('Resolved');
  await expect(row.getByRole('cell').last()).toHaveText('1');

  const viewer = await openPage();
  await firstSignIn(viewer, 'incident-viewer@e2e.local', viewerPassword, 'incident-viewer-pass-1');
  await viewer.goto('/incidents?state=all');
  await expect(viewer.getByRole('link', { name: TITLE })).toBeVisible();
  await expect(viewer.getByRole('link', { name: 'Declare incident' })).toHaveCount(0);
  await viewer.getByRole('link', { name: TITLE }).click();
  await expect(viewer).toHaveURL(incidentUrl);
  await expect(viewer.getByTestId('incident-status')).toHaveText('Resolved');
  await expect(viewer.getByTestId('incident-update')).toHaveCount(4);
  await expect(viewer.getByTestId('incident-actions')).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /Acknowledge|Resolve|Reopen|Mark / })).toHaveCount(0);
  await expect(viewer.getByTestId('post-update-form')).toHaveCount(0);
  await expect(viewer.getByTestId('incident-postmortem')).toContainText('Checkout failed for 12 minutes.');
  await expect(viewer.getByTestId('action-item')).toHaveAttribute('data-done', 'true');
  await expect(viewer.getByLabel('Done: Alert on payment error ratio')).toBeDisabled();
  await expect(viewer.getByTestId('action-item-form')).toHaveCount(0);
  await expect(viewer.getByTestId('postmortem-form')).toHaveCount(0);
});
