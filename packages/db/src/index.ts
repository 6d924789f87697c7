export {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  ilike,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  ne,
  or,
  sql,
} from 'drizzle-orm';
export type * from './alert-condition';
export * from './audit';
export * from './client';
export * from './credentials';
export * from './default-alert-rule';
export * from './embedded';
export * from './enums';
export * from './identity';
export * from './migrate';
export type * from './notify-types';
export * from './partitions';
export * from './schedule';
export * as schema from './schema';
export * from './seed';
export * from './settings-keys';
