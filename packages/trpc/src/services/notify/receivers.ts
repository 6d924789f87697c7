/**
 * Owner of receivers and receiver_integrations (ARCHITECTURE.md "Who writes which table"). Secrets are sealed
 * per integration (secret-box.ts) and never leave this module except to the delivery side, decrypted, as
 * IntegrationTargets (`loadIntegrationTargets`); answers and audit rows show them masked.
 */
import { randomUUID } from 'node:crypto';
import { asc, type Db, type DbOrTx, eq, inArray, type Queries, type RouteNode, schema } from '@sextant/db';
import type { ChangeContext, Context } from '../../context';
import { AppError, findCode } from '../../errors';
import type { IntegrationInput, ReceiverInput } from '../../schemas/receivers';
import { audit } from '../audit';
import { assertTargetAllowed } from '../settings';
import {
  changedSecrets,
  integrationHost,
  presentIntegration,
  restoreIntegration,
  type Secrets,
  type StoredIntegration,
  splitIntegration,
} from './integration-secrets';
import type { IntegrationTarget } from './message';
import { secretBox } from './secret-box';

const { receivers, routeTree } = schema;
const integrationTable = schema.receiverIntegrations;
type Ctx = ChangeContext & Pick<Context, 'runtime'>;
type ReceiverRow = typeof receivers.$inferSelect;
type IntegrationRow = typeof integrationTable.$inferSelect;

/** The additional data a row's ciphertext is bound to: it cannot be copied to another integration. */
const boundTo = (integrationId: string) => `receiver_integrations:${integrationId}`;

function seal(integrationId: string, secrets: Secrets): string | null {
  return Object.keys(secrets).length === 0
    ? null
    : secretBox().seal(JSON.stringify(secrets), boundTo(integrationId));
}

function unseal(
  row: Pick<IntegrationRow, 'id' | 'kind' | 'sendResolved' | 'settings' | 'secretsEnc'>,
): StoredIntegration {
  const secrets = row.secretsEnc ? JSON.parse(secretBox().open(row.secretsEnc, boundTo(row.id))) : {};
  return { id: row.id, kind: row.kind, sendResolved: row.sendResolved, settings: row.settings, secrets };
}

async function getReceiverRow(db: DbOrTx, id: string): Promise<ReceiverRow> {
  const [row] = await db.select().from(receivers).where(eq(receivers.id, id)).limit(1);
  if (!row) throw new AppError('NOT_FOUND', 'No such receiver.');
  return row;
}

function integrationRows(db: DbOrTx, receiverIds: string[]) {
  return db
    .select()
    .from(integrationTable)
    .where(inArray(integrationTable.receiverId, receiverIds))
    .orderBy(asc(integrationTable.position));
}

function present(row: ReceiverRow, integrations: IntegrationRow[]) {
  return { ...row, integrations: integrations.map(presentIntegration) };
}
export type Receiver = ReturnType<typeof present>;

export async function listReceivers(db: Db): Promise<Receiver[]> {
  const rows = await db.select().from(receivers).orderBy(asc(receivers.name));
  const integrations =
    rows.length > 0
      ? await integrationRows(
          db,
          rows.map((r) => r.id),
        )
      : [];
  return rows.map((r) =>
    present(
      r,
      integrations.filter((i) => i.receiverId === r.id),
    ),
  );
}

export async function getReceiver(db: DbOrTx, id: string): Promise<Receiver> {
  const row = await getReceiverRow(db, id);
  return present(row, await integrationRows(db, [id]));
}

function nameTaken(err: unknown): never {
  if (findCode(err) === '23505')
    throw new AppError('CONFLICT', 'Another receiver has this name.', ['receiver', 'name']);
  throw err;
}

interface Prepared {
  id: string;
  keep: boolean;
  kind: IntegrationInput['kind'];
  sendResolved: boolean;
  settings: IntegrationRow['settings'];
  secrets: Secrets;
}

/** Restores kept secrets, refuses denied hosts, splits settings from secrets; nothing is written yet. */
async function prepare(ctx: Ctx, tx: DbOrTx, input: ReceiverInput, stored: StoredIntegration[]) {
  const checked = { ...ctx, db: tx as Context['db'] };
  const prepared: Prepared[] = [];
  for (const [i, integration] of input.integrations.entries()) {
    const path = ['receiver', 'integrations', i];
    const before = stored.find((s) => s.id === integration.id) ?? null;
    if (integration.id && !before)
      throw new AppError('VALIDATION_FAILED', 'This integration is not part of the receiver.', [
        ...path,
        'id',
      ]);
    if (before && prepared.some((p) => p.id === before.id))
      throw new AppError('VALIDATION_FAILED', 'This integration is listed twice.', [...path, 'id']);
    const restored = restoreIntegration(integration, before, path);
    const target = integrationHost(restored);
    if (target) await assertTargetAllowed(checked, target.host, target.port, [...path, target.field]);
    // Another kind is another integration: its log and outbox rows do not carry over.
    const keep = before?.kind === restored.kind;
    prepared.push({
      id: keep ? before!.id : randomUUID(),
      keep,
      kind: restored.kind,
      sendResolved: restored.sendResolved,
      ...splitIntegration(restored),
    });
  }
  return prepared;
}

/** Writes the receiver's integrations as `prepared` lists them, in order; returns which secrets changed. */
async function writeIntegrations(
  tx: DbOrTx,
  receiverId: string,
  prepared: Prepared[],
  stored: StoredIntegration[],
) {
  const kept = new Set(prepared.filter((p) => p.keep).map((p) => p.id));
  const gone = stored.filter((s) => !kept.has(s.id)).map((s) => s.id);
  if (gone.length > 0) await tx.delete(integrationTable).where(inArray(integrationTable.id, gone));
  // Positions are unique per receiver: park the kept rows on negative ones before reordering.
  for (const [i, p] of prepared.entries())
    if (p.keep)
      await tx
        .update(integrationTable)
        .set({ position: -1 - i })
        .where(eq(integrationTable.id, p.id));
  const changed: string[] = [];
  for (const [position, p] of prepared.entries()) {
    const values = {
      position,
      kind: p.kind,
      sendResolved: p.sendResolved,
      settings: p.settings,
      secretsEnc: seal(p.id, p.secrets),
      secretKeys: Object.keys(p.secrets).sort(),
    };
    if (p.keep)
      await tx
        .update(integrationTable)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(integrationTable.id, p.id));
    else await tx.insert(integrationTable).values({ ...values, id: p.id, receiverId });
    const before = stored.find((s) => s.id === p.id)?.secrets ?? {};
    changed.push(...changedSecrets(before, p.secrets).map((k) => `integrations.${position}.${k}`));
  }
  return changed;
}

export function createReceiver(ctx: Ctx, input: ReceiverInput) {
  return ctx.db
    .transaction(async (tx) => {
      const prepared = await prepare(ctx, tx, input, []);
      const [row] = await tx
        .insert(receivers)
        .values({ name: input.name, description: input.description })
        .returning();
      await writeIntegrations(tx, row!.id, prepared, []);
      const shown = await getReceiver(tx, row!.id);
      await audit(tx, ctx, {
        action: 'receiver.create',
        targetType: 'receiver',
        targetId: row!.id,
        after: shown,
      });
      return shown;
    })
    .catch(nameTaken);
}

/** Replaces the receiver and its integration list as the form sends it (ids keep saved integrations). */
export function updateReceiver(ctx: Ctx, id: string, input: ReceiverInput) {
  return ctx.db
    .transaction(async (tx) => {
      const before = await getReceiver(tx, id);
      const stored = (await integrationRows(tx, [id])).map(unseal);
      const prepared = await prepare(ctx, tx, input, stored);
      await tx
        .update(receivers)
        .set({ name: input.name, description: input.description, updatedAt: new Date() })
        .where(eq(receivers.id, id));
      const maskedChanged = await writeIntegrations(tx, id, prepared, stored);
      const shown = await getReceiver(tx, id);
      await audit(tx, ctx, {
        action: 'receiver.update',
        targetType: 'receiver',
        targetId: id,
        before,
        after: maskedChanged.length > 0 ? { ...shown, maskedChanged } : shown,
      });
      return shown;
    })
    .catch(nameTaken);
}

/** Routes of the tree that send to `receiverId`, named by their path and matchers. */
async function routesUsing(db: DbOrTx, receiverId: string): Promise<string[]> {
  const trees = await db.select({ tree: routeTree.tree }).from(routeTree);
  const found: string[] = [];
  const walk = (node: RouteNode, name: string) => {
    if (node.receiverId === receiverId) found.push(name);
    for (const child of node.children ?? [])
      walk(
        child,
        `route ${child.id} {${child.matchers.map((m) => `${m.label}${m.op}"${m.value}"`).join(', ')}}`,
      );
  };
  for (const { tree } of trees) walk(tree, 'the root route');
  return found;
}

/** Refused while a route sends to it: deleting would leave that route nowhere to send. */
export function deleteReceiver(ctx: ChangeContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await getReceiver(tx, id);
    const routes = await routesUsing(tx, id);
    if (routes.length > 0)
      throw new AppError(
        'RECEIVER_IN_USE',
        `${before.name} is used by ${routes.join('; ')}: point those routes elsewhere first.`,
      );
    await tx.delete(receivers).where(eq(receivers.id, id));
    await audit(tx, ctx, { action: 'receiver.delete', targetType: 'receiver', targetId: id, before });
    return { id };
  });
}

/** Delivery side: the integrations with their secrets decrypted (only at send time, never stored elsewhere). */
export async function loadIntegrationTargets(
  db: DbOrTx,
  integrationIds: string[],
): Promise<IntegrationTarget[]> {
  if (integrationIds.length === 0) return [];
  const rows = await db.select().from(integrationTable).where(inArray(integrationTable.id, integrationIds));
  return rows.map(unseal);
}

/**
 * The same targets through postgres.js, keyed by id, for the delivery and flush paths (which hold only `sql`):
 * secrets are decrypted here, at send or enqueue time, and never stored anywhere else.
 */
export async function integrationTargetsById(
  sql: Queries,
  ids: string[],
): Promise<Map<string, IntegrationTarget>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<Pick<IntegrationRow, 'id' | 'kind' | 'sendResolved' | 'settings' | 'secretsEnc'>[]>`
    select id, kind, send_resolved as "sendResolved", settings, secrets_enc as "secretsEnc"
    from receiver_integrations where id = any(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, unseal(r)]));
}

/** Flush side: the receivers' integrations in order, without secrets; none for a receiver that is gone. */
export async function receiverIntegrations(db: DbOrTx, receiverIds: string[]) {
  if (receiverIds.length === 0) return [];
  const rows = await db
    .select({
      id: integrationTable.id,
      receiverId: integrationTable.receiverId,
      receiverName: receivers.name,
      kind: integrationTable.kind,
      sendResolved: integrationTable.sendResolved,
      position: integrationTable.position,
    })
    .from(integrationTable)
    .innerJoin(receivers, eq(receivers.id, integrationTable.receiverId))
    .where(inArray(integrationTable.receiverId, receiverIds))
    .orderBy(asc(integrationTable.receiverId), asc(integrationTable.position));
  return rows;
}

/** "Send test" reads: a saved integration, or a draft with its kept secrets restored and its host vetted. */
export async function testTarget(
  ctx: Pick<Context, 'db' | 'runtime'>,
  input: { integrationId: string } | { draft: IntegrationInput },
): Promise<IntegrationTarget> {
  if ('integrationId' in input) {
    const [found] = await loadIntegrationTargets(ctx.db, [input.integrationId]);
    if (!found) throw new AppError('NOT_FOUND', 'No such integration.', ['integrationId']);
    return found;
  }
  const { draft } = input;
  const [stored] = draft.id ? await loadIntegrationTargets(ctx.db, [draft.id]) : [];
  const restored = restoreIntegration(draft, stored ?? null, ['draft']);
  const host = integrationHost(restored);
  if (host) await assertTargetAllowed(ctx, host.host, host.port, ['draft', host.field]);
  return {
    id: draft.id ?? randomUUID(),
    kind: restored.kind,
    sendResolved: restored.sendResolved,
    ...splitIntegration(restored),
  };
}
