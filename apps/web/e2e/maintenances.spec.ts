import { expect, test } from './fixtures';
import { asAdmin, createServiceInConsole, createUserInConsole, firstSignIn } from './helpers';

const TITLE = `Database upgrade ${Date.now()}`;
const RENAMED = `${TITLE} (moved)`;

test('a maintainer schedules a recurring window over a service, sees its next occurrence, edits and cancels it; a viewer only reads', async ({
  openPage,
}) => {
  test.setTimeout(150_000);
  const admin = await openPage();
  await asAdmin(admin);
  await createServiceInConsole(admin, 'E2E Maint Shop', 'e2e-maint-shop');
  const maintainerPassword = await createUserInConsole(admin, 'maint-maintainer@e2e.local', 'maintainer');
  const viewerPassword = await createUserInConsole(admin, 'maint-viewer@e2e.local', 'viewer');
  await admin.context().close();

  const page = await openPage();
  await firstSignIn(page, 'maint-maintainer@e2e.local', maintainerPassword, 'maint-maintainer-pass-1');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Maintenance' }).click();
  await page.getByRole('link', { name: 'Schedule maintenance' }).click();

  // The shared schema refuses an empty form next to its fields, nothing sent.
  await page.getByRole('button', { name: 'Schedule window' }).click();
  await expect(page.getByText('Give the window a title.')).toBeVisible();
  await expect(page.getByText('Pick a start in a known time zone.')).toBeVisible();

  await page.getByLabel('Title', { exact: true }).fill(TITLE);
  await page.getByLabel('Repeats').selectOption('recurring');
  await page.getByLabel('Time zone').fill('Europe/Berlin');
  // 5 January 2031 is a Sunday; 02:00 in Berlin (CET) is 01:00 UTC.
  await page.getByLabel('Start', { exact: true }).fill('2031-01-05T02:00');
  await page.getByLabel('Duration (minutes)').fill('120');

  // The preview is the server's: a rule that never ends is refused with its reason, a good one lists five.
  const preview = page.getByTestId('maintenance-preview');
  await page.getByLabel('RRULE', { exact: true }).fill('FREQ=DAILY');
  await expect(preview.getByTestId('maintenance-preview-error')).toHaveText(
    'The RRULE must end: give it a COUNT or an UNTIL.',
  );
  await page.getByLabel('Preset').selectOption({ label: 'Weekly, 52 times' });
  await expect(page.getByLabel('RRULE', { exact: true })).toHaveValue('FREQ=WEEKLY;COUNT=52');
  await expect(preview.getByTestId('maintenance-preview-occurrence')).toHaveCount(5);
  await expect(preview.getByTestId('maintenance-preview-occurrence').first()).toHaveText(
    '5 Jan 2031, 02:00 – 5 Jan 2031, 04:00',
  );
  await expect(preview).toContainText('52 occurrences in all, in Europe/Berlin');

  await page.getByRole('button', { name: 'Add affected service' }).click();
  await page.getByLabel('Affected service 1', { exact: true }).selectOption({ label: 'E2E Maint Shop' });
  await page.getByLabel('Environment 1').selectOption({ label: 'PRO' });
  await page.getByRole('button', { name: 'Schedule window' }).click();

  // Listed under Upcoming with its next occurrence (as an instant), the rule in words and what it affects.
  await expect(page).toHaveURL(/\/maintenances$/);
  const row = page.locator('[data-testid="maintenance-row"]', { hasText: TITLE });
  await expect(row.getByTestId('maintenance-next').locator('time').first()).toHaveAttribute(
    'datetime',
    '2031-01-05T01:00:00.000Z',
  );
  await expect(row.getByTestId('maintenance-recurrence')).toHaveText('Every week, 52 times (Europe/Berlin)');
  await expect(row.getByTestId('maintenance-targets')).toHaveText('E2E Maint Shop in PRO');

  // Edit: the form comes back as saved (times in the window's zone); a new title and rule are kept.
  await row.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByLabel('Start', { exact: true })).toHaveValue('2031-01-05T02:00');
  await expect(page.getByLabel('Duration (minutes)')).toHaveValue('120');
  await page.getByLabel('Title', { exact: true }).fill(RENAMED);
  await page.getByLabel('Preset').selectOption({ label: 'Monthly, last Sunday, 12 times' });
  await page.getByRole('button', { name: 'Save window' }).click();
  await expect(page).toHaveURL(/\/maintenances$/);
  const renamed = page.locator('[data-testid="maintenance-row"]', { hasText: RENAMED });
  await expect(renamed.getByTestId('maintenance-recurrence')).toHaveText(
    'Every month on the last Sunday, 12 times (Europe/Berlin)',
  );
  await renamed.getByRole('link', { name: RENAMED }).click();
  await expect(page.getByRole('heading', { name: RENAMED })).toBeVisible();
  await expect(page.getByTestId('maintenance-occurrence')).toHaveCount(10);
  const detailUrl = page.url();

  // A viewer reads the list and the window, with no way to change them.
  const viewer = await openPage();
  await firstSignIn(viewer, 'maint-viewer@e2e.local', viewerPassword, 'maint-viewer-pass-1');
  await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Maintenance' }).click();
  const seen = viewer.locator('[data-testid="maintenance-row"]', { hasText: RENAMED });
  await expect(seen.getByTestId('maintenance-targets')).toHaveText('E2E Maint Shop in PRO');
  await expect(viewer.getByRole('link', { name: 'Schedule maintenance' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await expect(viewer.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  await seen.getByRole('link', { name: RENAMED }).click();
  await expect(viewer).toHaveURL(detailUrl);
  await expect(viewer.getByTestId('maintenance-occurrence')).toHaveCount(10);
  await expect(viewer.getByTestId('maintenance-actions')).toHaveCount(0);

  // Cancel, after confirming: gone from Upcoming, kept under Past as history.
  await page.getByTestId('maintenance-actions').getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel window' }).click();
  await expect(page.getByTestId('maintenance-cancelled')).toBeVisible();
  await expect(page.getByTestId('maintenance-actions')).toHaveCount(0);
  await page.goto('/maintenances');
  await expect(page.getByRole('link', { name: RENAMED })).toHaveCount(0);
  await page.getByRole('link', { name: 'Past', exact: true }).click();
  await expect(page.locator('[data-testid="maintenance-row"]', { hasText: RENAMED })).toContainText(
    'cancelled',
  );

  await viewer.goto('/maintenances?state=past');
  await expect(viewer.locator('[data-testid="maintenance-row"]', { hasText: RENAMED })).toBeVisible();
  await viewer.context().close();
  await page.context().close();
});
