import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// @sextant/flags is followed too: the console's flag forms reuse its save-time schema.
const PACKAGES: Record<string, string> = {
  '@sextant/db': 'packages/db',
  '@sextant/flags': 'packages/flags',
  '@sextant/trpc': 'packages/trpc',
};

/** Entry points the console bundles: they must reach no database, no Node API and no service code. */
const CLIENT_SAFE = [
  '@sextant/db/enums',
  '@sextant/db/check-config',
  '@sextant/db/roles',
  '@sextant/trpc/limits',
  '@sextant/trpc/schemas',
];
const ALLOWED_PACKAGES = new Set(['zod', 'cron-parser']);

function resolveSpecifier(spec: string, from: string): string | null {
  if (spec.startsWith('.')) {
    const base = resolve(dirname(from), spec);
    return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find(
      (p) => existsSync(p) && p.match(/\.tsx?$/),
    )!;
  }
  const pkg = Object.keys(PACKAGES).find((p) => spec === p || spec.startsWith(`${p}/`));
  if (!pkg) return null;
  const exports = JSON.parse(readFileSync(join(root, PACKAGES[pkg]!, 'package.json'), 'utf8')).exports;
  const target = exports[`.${spec.slice(pkg.length)}`];
  if (!target) throw new Error(`${spec} is not exported`);
  return join(root, PACKAGES[pkg]!, target);
}

/** Every module an entry point reaches, and the bare packages it imports, following value and type imports. */
function reach(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [resolveSpecifier(entry, root)!];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, spec] of source.matchAll(/(?:import|export)\s[^'";]*?from\s+'([^']+)'/g)) {
      const next = resolveSpecifier(spec!, file);
      if (next) queue.push(next);
      else
        packages.add(spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!);
    }
  }
  return { files, packages };
}

describe('client-safe entry points', () => {
  it.each(CLIENT_SAFE)('%s reaches only zod-level code', (entry) => {
    const { files, packages } = reach(entry);
    expect([...packages].filter((p) => !ALLOWED_PACKAGES.has(p))).toEqual([]);
    const serverFiles = [...files].filter((f) =>
      /\/(services|routers|schema)\/|\/db\/src\/(index|client)\.ts$/.test(f),
    );
    expect(serverFiles.map((f) => f.slice(root.length + 1))).toEqual([]);
  });

  it('notices a server import', () => {
    const { packages } = reach('@sextant/trpc/schemas');
    expect(packages.has('zod')).toBe(true);
    const { packages: server } = reach('@sextant/trpc');
    expect([...server].some((p) => !ALLOWED_PACKAGES.has(p))).toBe(true);
  });
});
