import { chromium, type FullConfig } from '@playwright/test';
import { ADMIN, firstSignIn } from './helpers';

/** What the API seeds the admin with (SEXTANT_ADMIN_PASSWORD); it must be replaced at first sign-in. */
export const ADMIN_FIRST_PASSWORD = 'e2e-first-admin-password';

/**
 * Once per run, before any test: the seeded admin signs in with its first password, is sent to change it (as on
 * a real install) and sets the password the tests use.
 */
export default async function globalSetup(config: FullConfig) {
  const { baseURL, launchOptions } = config.projects[0]!.use;
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage({ baseURL });
    await firstSignIn(page, ADMIN.email, ADMIN_FIRST_PASSWORD, ADMIN.password);
  } finally {
    await browser.close();
  }
}
