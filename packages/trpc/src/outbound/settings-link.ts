/** Where an admin allows a refused target: refusals name it, the console links it. No server imports here. */
export const OUTBOUND_SETTINGS = { label: 'Settings → Outbound', href: '/settings#outbound' } as const;
