import { eq, schema } from '@sextant/db';
import type { Context } from '../context';
import { audit } from './audit';

export const DENY_NETWORKS_KEY = 'probe.deny_networks';
/** Cloud metadata endpoints (IPv4 link-local, AWS IPv6): never a legitimate check target, a classic SSRF prize. */
export const DEFAULT_DENY_NETWORKS = ['169.254.0.0/16', 'fd00:ec2::254/128'];

export async function getDenyNetworks(db: Context['db']): Promise<string[]> {
  const [row] = await db
    .select()
    .from(schema.settings)
    .where(eq(schema.settings.key, DENY_NETWORKS_KEY))
    .limit(1);
  return (row?.value as string[] | undefined) ?? DEFAULT_DENY_NETWORKS;
}

export async function setDenyNetworks(
  ctx: Pick<Context, 'db' | 'identity' | 'requestId' | 'ip'>,
  networks: string[],
) {
  return ctx.db.transaction(async (tx) => {
    const before = await getDenyNetworks(tx as unknown as Context['db']);
    await tx
      .insert(schema.settings)
      .values({ key: DENY_NETWORKS_KEY, value: networks })
      .onConflictDoUpdate({ target: schema.settings.key, set: { value: networks, updatedAt: new Date() } });
    await audit(tx, ctx, {
      action: 'settings.deny_networks',
      targetType: 'settings',
      targetId: DENY_NETWORKS_KEY,
      before: { networks: before },
      after: { networks },
    });
    return networks;
  });
}
