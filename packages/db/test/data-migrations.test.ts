import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { generatePingToken, sha256 } from '../src/identity/tokens';
import { defaultMigrationsFolder, readJournal, runMigrations } from '../src/migrate';
import { createTestDatabase } from '../src/testing';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** The shipped migrations up to (not including) the first whose tag ends with one of `tags`. */
function migrationsBefore(...tags: string[]): string {
  const source = defaultMigrationsFolder();
  const journal = readJournal(source);
  const stop = journal.findIndex((e) => tags.some((t) => e.tag.endsWith(t)));
  expect(stop).toBeGreaterThan(0);
  const folder = mkdtempSync(path.join(tmpdir(), 'sextant-migrations-'));
  folders.push(folder);
  cpSync(source, folder, { recursive: true });
  writeFileSync(
    path.join(folder, 'meta/_journal.json'),
    JSON.stringify({ version: '7', dialect: 'postgresql', entries: journal.slice(0, stop) }),
  );
  return folder;
}

describe('data migrations', () => {
  it('hash existing ping tokens (same hash as the API) and revoke API keys without an owner', async () => {
    const url = await createTestDatabase(inject('adminUrl'), { migrated: false });
    await runMigrations(url, migrationsBefore('_revoke_ownerless_api_keys', '_heartbeat_token_hash'));
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const { token } = generatePingToken();
      const [svc] = await sql`insert into services (name, slug) values ('Old', 'old') returning id`;
      await sql`insert into heartbeats (service_id, name, token, period_seconds)
                values (${svc!.id}, 'nightly', ${token}, 60)`;
      const [owner] = await sql`
        insert into users (id, email, role) values ('u1', 'owner@test.local', 'admin') returning id`;
      await sql`insert into api_keys (name, prefix, key_hash, role, created_by) values
        ('owned', 'sxt_owned', 'h1', 'admin', ${owner!.id}),
        ('ownerless', 'sxt_orphan', 'h2', 'admin', null)`;

      await runMigrations(url);

      const [hb] = await sql`select row_to_json(h) as h from heartbeats h`;
      expect(hb!.h).toMatchObject({ token_hash: sha256(token), token_prefix: token.slice(0, 6) });
      expect(JSON.stringify(hb!.h)).not.toContain(token);
      const keys = await sql`select name, revoked_at from api_keys order by name`;
      expect(keys).toEqual([
        { name: 'owned', revoked_at: null },
        { name: 'ownerless', revoked_at: expect.any(Date) },
      ]);
      const audit = await sql`select actor_type, action, diff from audit_log where action = 'api_key.revoke'`;
      expect(audit).toEqual([
        {
          actor_type: 'system',
          action: 'api_key.revoke',
          diff: { after: { name: 'ownerless', prefix: 'sxt_orphan', role: 'admin', reason: 'no owner' } },
        },
      ]);
    } finally {
      await sql.end();
    }
  });

  it('demote admin API keys to maintainer, each with a system audit row (requirement 24)', async () => {
    const url = await createTestDatabase(inject('adminUrl'), { migrated: false });
    await runMigrations(url, migrationsBefore('_cap_admin_api_keys'));
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await sql`insert into users (id, email, role) values ('a1', 'admin@test.local', 'admin')`;
      await sql`insert into api_keys (name, prefix, key_hash, role, created_by) values
        ('root', 'sxt_root', 'h1', 'admin', 'a1'), ('deploys', 'sxt_deploy', 'h2', 'maintainer', 'a1'),
        ('reader', 'sxt_reader', 'h3', 'viewer', 'a1')`;

      await runMigrations(url);

      expect(await sql`select name, role from api_keys order by name`).toEqual([
        { name: 'deploys', role: 'maintainer' },
        { name: 'reader', role: 'viewer' },
        { name: 'root', role: 'maintainer' },
      ]);
      const audit = await sql`select actor_type, action, diff from audit_log where target_type = 'api_key'`;
      expect(audit).toEqual([
        {
          actor_type: 'system',
          action: 'api_key.role_change',
          diff: {
            before: { name: 'root', prefix: 'sxt_root', role: 'admin' },
            after: {
              name: 'root',
              prefix: 'sxt_root',
              role: 'maintainer',
              reason: 'API keys are at most maintainer',
            },
          },
        },
      ]);
    } finally {
      await sql.end();
    }
  });
});
