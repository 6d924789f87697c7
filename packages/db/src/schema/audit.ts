import { bigserial, index, jsonb, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { ACTOR_TYPES } from '../enums';
import { ts } from './columns';

export const actorTypeEnum = pgEnum('actor_type', ACTOR_TYPES);

/** Append-only trail of every change; a trigger (see migration) refuses UPDATE, DELETE and TRUNCATE. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    at: ts().notNull().defaultNow(),
    actorType: actorTypeEnum().notNull(),
    actorId: text(),
    actorLabel: text(),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text(),
    diff: jsonb().$type<{ before?: unknown; after?: unknown }>(),
    requestId: text(),
    ip: text(),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at.desc(), t.id.desc()),
    index('audit_log_actor_idx').on(t.actorId, t.at.desc()),
    index('audit_log_action_idx').on(t.action, t.at.desc()),
    index('audit_log_target_idx').on(t.targetType, t.targetId, t.at.desc()),
  ],
);
