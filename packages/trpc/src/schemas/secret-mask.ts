/** What answers show in place of a secret, and what a form sends back to keep it (client-safe: no imports). */
export const SECRET_MASK = '••••••••';
