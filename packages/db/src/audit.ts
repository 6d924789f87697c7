import { insertRows, type Writer } from './client';
import { isCredentialName, maskUrlCredentials } from './credentials';
import type { ActorType } from './enums';
import { auditLog } from './schema';

export interface Actor {
  type: ActorType;
  id: string | null;
  /** Human label kept with the row: an email, a key name, "system". */
  label: string | null;
}

export interface AuditEntry {
  actor: Actor;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  ip?: string | null;
}

const REDACTED = '[redacted]';
/** A value that is itself a credential: a lone "Bearer …" or "Basic …" header value. */
const SECRET_VALUE = /^\s*(bearer|basic)\s+\S+\s*$/i;

/**
 * Deep copy with credential-named fields replaced, and in every string a URL's userinfo and credential
 * query values, so the trail never holds a credential.
 */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') {
    return SECRET_VALUE.test(value) ? REDACTED : maskUrlCredentials(value, REDACTED);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isCredentialName(k) && v != null ? REDACTED : redact(v)]),
    );
  }
  return value;
}

/** Keeps only fields that changed, so a diff shows what an edit actually did. */
export function diffOf(before: unknown, after: unknown): { before?: unknown; after?: unknown } {
  const b = redact(before) as Record<string, unknown> | undefined;
  const a = redact(after) as Record<string, unknown> | undefined;
  if (!b || !a || typeof b !== 'object' || typeof a !== 'object') return { before: b, after: a };
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  const changed = [...keys].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  return {
    before: Object.fromEntries(changed.map((k) => [k, b[k]])),
    after: Object.fromEntries(changed.map((k) => [k, a[k]])),
  };
}

/** The one writer of audit_log; call it inside the same transaction (either kind) as the change it records. */
export async function writeAudit(tx: Writer, entry: AuditEntry): Promise<void> {
  await insertRows(tx, auditLog, [
    {
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      actorLabel: entry.actor.label,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      diff:
        entry.before === undefined && entry.after === undefined ? null : diffOf(entry.before, entry.after),
      requestId: entry.requestId ?? null,
      ip: entry.ip ?? null,
    },
  ]);
}
