import { type BrowserContext, test as base, type Page } from '@playwright/test';

export { expect } from '@playwright/test';

/**
 * `openPage()` opens a page in a fresh browser context (its own cookies) and closes that context when the test ends:
 * a context left open keeps polling the console under the specs that run after it in the same worker.
 */
export const test = base.extend<{ openPage: () => Promise<Page> }>({
  openPage: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext();
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((c) => c.close()));
  },
});
