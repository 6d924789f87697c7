import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Instance-wide facts such as when the first-run seed happened. */
export const appMeta = pgTable('app_meta', {
  key: text().primaryKey(),
  /** `seeded_at`: an ISO timestamp, the only key so far. */
  value: jsonb().$type<string>().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
