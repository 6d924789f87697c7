import { existsSync } from 'node:fs';
import { chromium, defineConfig, devices } from '@playwright/test';
import { ADMIN, ADMIN_FIRST_PASSWORD } from './e2e/helpers';

const API_PORT = process.env.E2E_API_PORT ?? '4210';
const WEB_PORT = process.env.E2E_WEB_PORT ?? '3210';
const PG_PORT = process.env.E2E_PG_PORT ?? '54310';
// One secret for both processes, so the API can read the console's session cookie.
const AUTH_SECRET = 'e2e-secret-e2e-secret-e2e-secret-e2e-secret';

/** Playwright's own Chromium when installed, else the distribution's (see scripts/ensure-chromium.mjs). */
function chromiumPath(): string | undefined {
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {}
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/**
 * Specs that change what every other spec sees (the outbound allow/deny lists), read "the latest" audit row or flood
 * sign-ins (security), time a cut-off to 5 s (identity), or load the API hard enough to stall it (metrics-scale): they
 * run after the rest, one at a time.
 */
const ALONE = ['outbound', 'security', 'identity', 'metrics-scale'].map((spec) => `**/${spec}.spec.ts`);

const chromiumUse = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  },
};

export default defineConfig({
  testDir: './e2e',
  // A spec file's tests run in order in one worker; two workers run files side by side. Most specs wait on timers
  // (check intervals, group waits, breakers), so two cut the shared part from about 14 to 10 minutes here.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS) || 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  // On a busy 2-core machine a page step (a server render, a sign-in) can take longer than the default 5 s.
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${WEB_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // The seeded admin must change its first password before anything else; done once, before the specs.
    { name: 'setup', testMatch: /admin\.setup\.ts$/, use: chromiumUse },
    { name: 'chromium', testIgnore: ALONE, dependencies: ['setup'], use: chromiumUse },
    // After the shared ones (a failure there marks these "did not run"), one at a time whatever E2E_WORKERS says.
    { name: 'chromium-alone', testMatch: ALONE, dependencies: ['chromium'], workers: 1, use: chromiumUse },
  ],
  webServer: [
    {
      command: 'node e2e/start-api.mjs',
      url: `http://127.0.0.1:${API_PORT}/readyz`,
      env: {
        API_PORT,
        WEB_PORT,
        SEXTANT_PG_PORT: PG_PORT,
        API_RATE_LIMIT_PER_MIN: '0',
        // Fresh metrics quickly, so the dashboard has data within seconds.
        SEXTANT_SELF_SCRAPE_SECONDS: '3',
        // A failing receiver is dead-lettered within seconds, so the Notifications spec sees it and retries it.
        NOTIFY_MAX_AGE_SECONDS: '10',
        AUTH_SECRET,
        SEXTANT_ADMIN_EMAIL: ADMIN.email,
        SEXTANT_ADMIN_PASSWORD: ADMIN_FIRST_PASSWORD,
      },
      timeout: 120_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
      stdout: 'pipe',
    },
    {
      command: 'node scripts/start.mjs',
      url: `http://127.0.0.1:${WEB_PORT}`,
      env: {
        WEB_PORT,
        API_URL: `http://127.0.0.1:${API_PORT}`,
        SEXTANT_PG_PORT: PG_PORT,
        AUTH_SECRET,
        // The per-account limit is what the tests exercise; the whole suite signs in from one IP.
        SIGNIN_MAX_PER_IP: '500',
      },
      timeout: 120_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    },
  ],
});
