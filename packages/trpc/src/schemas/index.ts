/**
 * The input schemas the console validates its forms with before sending (`@sextant/trpc/schemas`): zod and
 * client-safe modules only, never services or the database.
 */
export { environmentInput, environmentName } from './environments';
export { apiKeyInput, passwordChangeInput, passwordSchema, userChanges, userInput } from './identity';
export { checkInput, heartbeatInput, heartbeatSettings, serviceInput } from './monitoring';
export { RESERVED_SCRAPE_LABELS, scrapeTargetInput } from './scrape-targets';
