import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns';

/** Instance-wide facts such as when the first-run seed happened. */
export const appMeta = pgTable('app_meta', {
  key: text().primaryKey(),
  /** `seeded_at`: an ISO timestamp, the only key so far. */
  value: jsonb().$type<string>().notNull(),
  updatedAt: ts().notNull().defaultNow(),
});
