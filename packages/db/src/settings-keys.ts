/** Keys of the `settings` table, shared by the first-run seed, the services and the probe's loader. */
export const SETTINGS_KEYS = {
  /** CIDRs an admin denies on top of the built-in outbound rules. */
  denyNetworks: 'probe.deny_networks',
  /** Outbound allow entries (CIDR or address, optionally with a port), each written by an admin or the seed. */
  allowNetworks: 'probe.allow_networks',
} as const;
