import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Deployment environments, ordered (DEV → PRO); endpoints and metrics are scoped by them. */
export const environments = pgTable(
  'environments',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    position: integer().notNull(),
    isProduction: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('environments_name_lower_idx').on(sql`lower(${t.name})`)],
);
