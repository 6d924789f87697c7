// Playwright cannot download browsers here; fall back to Debian's Chromium and install it when missing.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const bundled = (() => {
  try {
    return chromium.executablePath();
  } catch {
    return '';
  }
})();
const system = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

if (bundled && existsSync(bundled)) {
  console.log(`e2e: using Playwright's Chromium at ${bundled}`);
} else if (existsSync(system)) {
  console.log(`e2e: using system Chromium at ${system}`);
} else if (process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  console.log('e2e: no Chromium found; installing Debian package "chromium" with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execSync('apt-get update -qq && apt-get install -y -qq chromium >/dev/null', { stdio: 'inherit', env });
} else {
  console.error(
    "e2e: no Chromium found. Install one (`npx playwright install chromium`, or your distribution's chromium package) or set CHROMIUM_PATH.",
  );
  process.exit(1);
}
