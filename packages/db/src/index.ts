export { and, asc, desc, eq, gt, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
export * from './client';
export * from './embedded';
export * from './migrate';
export * as schema from './schema';
export * from './seed';
