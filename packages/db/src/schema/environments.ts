import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts, uuidKey } from './columns';

/** Deployment environments, ordered (DEV → PRO); endpoints and metrics are scoped by them. */
export const environments = pgTable(
  'environments',
  {
    id: uuidKey(),
    name: text().notNull(),
    position: integer().notNull(),
    isProduction: boolean().notNull().default(false),
    /** Promotions into it wait queued until a maintainer or admin other than the releaser approves them. */
    requiresApproval: boolean().notNull().default(false),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [uniqueIndex('environments_name_lower_idx').on(sql`lower(${t.name})`)],
);

/** The environment a row is scoped to; `onDelete` says whether deleting the environment is refused, cascades or unsets it. */
export const environmentRef = (onDelete: 'restrict' | 'cascade' | 'set null') =>
  uuid().references(() => environments.id, { onDelete });
