import { test as setup } from '@playwright/test';
import { ADMIN, ADMIN_FIRST_PASSWORD, ADMIN_STATE, firstSignIn } from './helpers';

/**
 * Once per run, before any spec (the projects depend on this one): the seeded admin signs in with its first
 * password, is sent to change it (as on a real install) and sets the password the tests use. Its signed-in cookies
 * are kept for `asAdmin`.
 */
setup('the seeded admin replaces its first password at first sign-in', async ({ page }) => {
  setup.setTimeout(120_000); // everything waits for it; a cold console on a busy machine can take a while
  await firstSignIn(page, ADMIN.email, ADMIN_FIRST_PASSWORD, ADMIN.password);
  await page.context().storageState({ path: ADMIN_STATE });
});
