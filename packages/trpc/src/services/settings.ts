import { isIP } from 'node:net';
import { type DbOrTx, eq, SETTINGS_KEYS, schema } from '@sextant/db';
import type { Context } from '../context';
import { AppError } from '../errors';
import { compileOutbound } from '../outbound/policy';
import type { ProtectedPort } from '../outbound/rules';
import { BUILT_IN_DENY, PRIVATE_NETWORKS, urlPort } from '../outbound/rules';
import type { OutboundInput } from '../schemas/outbound';
import { audit } from './audit';

async function readList(db: DbOrTx, key: string): Promise<string[]> {
  const [row] = await db.select().from(schema.settings).where(eq(schema.settings.key, key)).limit(1);
  return (row?.value as string[] | undefined) ?? [];
}

/** The admin's lists; both empty by default, the built-in rules apply regardless. */
async function readOutbound(db: DbOrTx): Promise<OutboundInput> {
  const [deny, allow] = await Promise.all([
    readList(db, SETTINGS_KEYS.denyNetworks),
    readList(db, SETTINGS_KEYS.allowNetworks),
  ]);
  return { deny, allow };
}

/** The one place the stored lists become a policy: the form's early refusal and every probe and scrape use it. */
export async function outboundPolicy(db: DbOrTx, protectedPorts: ProtectedPort[]) {
  return compileOutbound({ ...(await readOutbound(db)), protectedPorts });
}

/** Everything the Settings page shows: the lists, what is always refused, Sextant's own ports and the preset. */
export async function outboundSettings(ctx: Pick<Context, 'db' | 'runtime'>) {
  return {
    ...(await readOutbound(ctx.db)),
    builtIn: BUILT_IN_DENY,
    protectedPorts: ctx.runtime.protectedPorts?.() ?? [],
    privateNetworks: PRIVATE_NETWORKS,
  };
}

export async function setOutbound(
  ctx: Pick<Context, 'db' | 'runtime' | 'identity' | 'requestId' | 'ip'>,
  input: OutboundInput,
) {
  await ctx.db.transaction(async (tx) => {
    const before = await readOutbound(tx);
    for (const [key, value] of [
      [SETTINGS_KEYS.denyNetworks, input.deny],
      [SETTINGS_KEYS.allowNetworks, input.allow],
    ] as const) {
      await tx
        .insert(schema.settings)
        .values({ key, value })
        .onConflictDoUpdate({ target: schema.settings.key, set: { value, updatedAt: new Date() } });
    }
    await audit(tx, ctx, {
      action: 'settings.outbound',
      targetType: 'settings',
      targetId: 'probe.outbound',
      before,
      after: input,
    });
  });
  return outboundSettings(ctx);
}

/**
 * Refuses a literal IP target the probe would refuse anyway, so the form says why at once. Names are vetted
 * when the probe resolves them (every run, every redirect hop), never here.
 */
export async function assertTargetAllowed(
  ctx: Pick<Context, 'db' | 'runtime'>,
  host: string,
  port: number,
  path?: readonly (string | number)[],
) {
  const literal = host.replace(/^\[|\]$/g, '');
  if (isIP(literal) === 0) return;
  const policy = await outboundPolicy(ctx.db, ctx.runtime.protectedPorts?.() ?? []);
  const refusal = policy.check(literal, port);
  if (refusal) throw new AppError('TARGET_DENIED', refusal.message, path);
}

/** Host and port an http(s) URL connects to first. */
export function urlTarget(raw: string): { host: string; port: number } | null {
  try {
    const url = new URL(raw);
    return { host: url.hostname, port: urlPort(url) };
  } catch {
    return null;
  }
}
