import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { schema } from '@sextant/db';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { SEED_MODULE, TABLE_OWNERS } from '../src/testing/table-owners';

const ROOT = resolve(__dirname, '../../..');

/** Schema export name → SQL table name, for Drizzle writes such as `.insert(schema.checks)`. */
const TABLES = new Map(
  Object.entries(schema)
    .filter(([, v]) => is(v, PgTable))
    .map(([name, table]) => [name, getTableName(table as PgTable)]),
);
const SQL_NAMES = new Set(TABLES.values());

/** Source files that run in production: apps/*\/src and packages/*\/src, less migrations and test helpers. */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', 'migrations', 'testing'].includes(entry.name)) walk(path);
      } else if (/\.tsx?$/.test(entry.name) && !/\.(test|spec)\.tsx?$/.test(entry.name)) files.push(path);
    }
  };
  for (const group of ['apps', 'packages'])
    for (const pkg of readdirSync(join(ROOT, group), { withFileTypes: true }))
      if (pkg.isDirectory()) {
        const src = join(ROOT, group, pkg.name, 'src');
        try {
          walk(src);
        } catch {}
      }
  return files;
}

/** Every table a piece of source writes: raw SQL in template literals, and Drizzle's builders on schema tables. */
function writtenTables(source: string): Set<string> {
  const found = new Set<string>();
  for (const [, body] of source.matchAll(/`([^`]*)`/g))
    for (const [, , name] of body!.matchAll(
      /\b(insert\s+into|update|delete\s+from|copy|truncate)\s+([a-z_][a-z0-9_]*)/gi,
    ))
      if (SQL_NAMES.has(name!.toLowerCase())) found.add(name!.toLowerCase());
  // `const t = signInThrottle` and the like: local names for a table.
  const alias = new Map<string, string>();
  for (const [, local, target] of source.matchAll(/\bconst\s+(\w+)\s*=\s*(?:schema\.)?(\w+)\s*;/g))
    if (TABLES.has(target!)) alias.set(local!, TABLES.get(target!)!);
  const drizzleWrites = [
    /\.(?:insert|update|delete)\(\s*(?:schema\.)?(\w+)\s*\)/g,
    /\binsertRows\(\s*\w+\s*,\s*(?:schema\.)?(\w+)/g,
  ];
  for (const pattern of drizzleWrites)
    for (const [, id] of source.matchAll(pattern)) {
      const table = TABLES.get(id!) ?? alias.get(id!);
      if (table) found.add(table);
    }
  return found;
}

function violations(files: { path: string; source: string }[]) {
  const found: string[] = [];
  for (const { path, source } of files)
    for (const table of writtenTables(source)) {
      const entry = TABLE_OWNERS[table];
      if (!entry) found.push(`${path} writes ${table}, which has no owner in TABLE_OWNERS`);
      else if (entry.owner !== path && !(entry.seeded && path === SEED_MODULE))
        found.push(`${path} writes ${table}; only ${entry.owner} may (call its functions instead)`);
    }
  return found;
}

describe('table owners', () => {
  const files = sourceFiles().map((f) => ({
    path: relative(ROOT, f),
    source: readFileSync(f, 'utf8'),
  }));

  it('finds the source tree', () => {
    expect(files.some((f) => f.path === 'packages/trpc/src/services/checks.ts')).toBe(true);
    expect(files.length).toBeGreaterThan(50);
  });

  it('gives every table exactly one owner, and every owner exists', () => {
    expect(Object.keys(TABLE_OWNERS).sort()).toEqual([...SQL_NAMES].sort());
    const paths = new Set(files.map((f) => f.path));
    for (const { owner } of Object.values(TABLE_OWNERS)) expect(paths, owner).toContain(owner);
  });

  it('writes each table only in its owner module', () => {
    expect(violations(files)).toEqual([]);
  });

  it('sees raw SQL and Drizzle writes outside the owner', () => {
    const stray = [
      'await sql`update heartbeats set status = 1`;',
      'await tx.insert(schema.monitorEvents).values(row);',
      'const t = auditLog;\nawait db.delete(t).where(x);',
      'await insertRows(tx, checkResults, rows);',
    ];
    expect(violations(stray.map((source) => ({ path: 'apps/api/src/x.ts', source })))).toEqual([
      'apps/api/src/x.ts writes heartbeats; only packages/trpc/src/services/heartbeats.ts may (call its functions instead)',
      'apps/api/src/x.ts writes monitor_events; only packages/trpc/src/services/monitor-events.ts may (call its functions instead)',
      'apps/api/src/x.ts writes audit_log; only packages/db/src/audit.ts may (call its functions instead)',
      'apps/api/src/x.ts writes check_results; only packages/trpc/src/services/check-results.ts may (call its functions instead)',
    ]);
    expect(
      violations([{ path: 'apps/api/src/x.ts', source: 'cache.delete(key); hash.update(value);' }]),
    ).toEqual([]);
  });

  it('is the list ARCHITECTURE.md shows', () => {
    const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    const block = doc.split('<!-- table-owners:start -->')[1]?.split('<!-- table-owners:end -->')[0] ?? '';
    const listed = [...block.matchAll(/^\| `(\w+)` \| `([^`]+)`/gm)].map(([, table, owner]) => [
      table,
      owner,
    ]);
    expect(listed).toEqual(Object.entries(TABLE_OWNERS).map(([table, { owner }]) => [table, owner]));
  });

  it('links ARCHITECTURE.md only to files that exist', () => {
    const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    // `](<path>)` where the path has parentheses, else `](path)`.
    const links = [...doc.matchAll(/\]\((?:<((?:apps|packages)\/[^>]+)>|((?:apps|packages)\/[^)]+))\)/g)].map(
      ([, angled, plain]) => (angled ?? plain)!,
    );
    expect(links.length).toBeGreaterThan(5);
    for (const path of links) expect(existsSync(join(ROOT, path)), path).toBe(true);
  });
});
