import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from './columns';

/** Admin settings, e.g. the networks no probe may reach. */
export const settings = pgTable('settings', {
  key: text().primaryKey(),
  /** Every key in SETTINGS_KEYS holds a list of entries. */
  value: jsonb().$type<string[]>().notNull(),
  updatedAt: ts().notNull().defaultNow(),
});
