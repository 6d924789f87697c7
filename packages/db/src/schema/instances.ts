import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts, uuidKey } from './columns';
import { environmentRef } from './environments';
import { apiKeys, users } from './identity';
import { serviceRef } from './services';

/** Live instances registered by developers' services (service discovery); they vanish when their TTL lapses. */
export const instances = pgTable(
  'instances',
  {
    id: uuidKey(),
    serviceId: serviceRef(),
    environmentId: environmentRef('cascade').notNull(),
    host: text().notNull(),
    port: integer().notNull(),
    version: text(),
    metadata: jsonb().$type<Record<string, string>>().notNull().default({}),
    ttlSeconds: integer().notNull().default(30),
    registeredAt: ts().notNull().defaultNow(),
    lastHeartbeatAt: ts().notNull().defaultNow(),
    expiresAt: ts().notNull(),
    registeredByKey: uuid().references(() => apiKeys.id, { onDelete: 'set null' }),
    registeredByUser: text().references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('instances_identity_idx').on(t.serviceId, t.environmentId, t.host, t.port),
    index('instances_expiry_idx').on(t.expiresAt),
  ],
);
