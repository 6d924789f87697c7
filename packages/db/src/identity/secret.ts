import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Walks up to the workspace root so `.sextant/` lands there whatever the working directory. */
export function workspaceRoot(from = process.cwd()): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(/*turbopackIgnore: true*/ path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (path.dirname(dir) === dir) return from;
  }
}

/** `.sextant/` at the workspace root: the embedded cluster's data and this install's generated secrets. */
export function stateDir(): string {
  return path.join(workspaceRoot(), '.sextant');
}

/**
 * The content of a 0600 secret file, generated (32 random bytes, base64url) on first use; whichever
 * process comes first writes it, the others read the winner's.
 */
export function readOrCreateSecretFile(file: string): string {
  // The path is runtime configuration, not a build input: keep bundlers from tracing it.
  if (existsSync(/*turbopackIgnore: true*/ file))
    return readFileSync(/*turbopackIgnore: true*/ file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, randomBytes(32).toString('base64url'), { mode: 0o600 });
  try {
    linkSync(temp, file); // atomic: fails if another process already created it
  } catch {
    // lost the race; use the winner's secret
  } finally {
    unlinkSync(temp);
  }
  return readFileSync(/*turbopackIgnore: true*/ file, 'utf8').trim();
}

/** Writes a secret readable only by this OS user, replacing an earlier file (whatever its mode was). */
export function writeSecretFile(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  writeFileSync(file, `${content}\n`, { mode: 0o600, flag: 'wx' });
}

/**
 * The secret that signs session cookies, shared by the console and the API: AUTH_SECRET when set,
 * otherwise one generated on first use into `.sextant/auth-secret`.
 */
export function resolveAuthSecret(envSecret?: string, file = path.join(stateDir(), 'auth-secret')) {
  return envSecret || readOrCreateSecretFile(file);
}

/** A 32-byte key written as base64 or base64url (padding optional), or null when it is not one. */
export function parseSecretKey(raw: string): Buffer | null {
  const text = raw.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return null;
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : null;
}

/**
 * The key that encrypts integration secrets at rest (AES-256-GCM): SEXTANT_SECRET_KEY when set, otherwise one
 * generated on first use into `.sextant/secret-key`. Every instance on one database must use the same key.
 */
export function resolveSecretKey(envKey?: string, file = path.join(stateDir(), 'secret-key')): Buffer {
  const raw = envKey || readOrCreateSecretFile(file);
  const key = parseSecretKey(raw);
  if (!key)
    throw new Error(
      `The secret key${envKey ? ' (SEXTANT_SECRET_KEY)' : ` in ${file}`} is not 32 bytes of base64.`,
    );
  return key;
}
