import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, main } from '@sextant/cli';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SignedIn, useTestApi } from './helpers';

/** Runs the CLI's main against the test API with `key`, collecting what it prints. */
function cli(baseUrl: string, key: string) {
  return async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      argv,
      { SEXTANT_API_URL: baseUrl, SEXTANT_API_KEY: key },
      { out: (l) => out.push(l), err: (l) => err.push(l) },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}

describe('sextant deploy (point 1: the CLI CI runs with npx) against a real API and Postgres', () => {
  const api = useTestApi({ API_RATE_LIMIT_PER_MIN: '0' });
  let maintainer: SignedIn;
  let service: string;
  let run: ReturnType<typeof cli>;
  beforeAll(async () => {
    maintainer = await api.asUser('maintainer');
    service = (await maintainer.client.services.create.mutate({ name: `Cli ${Date.now()}` })).slug;
    run = cli(api.baseUrl, (await api.withKey('maintainer')).key);
  });
  const count = async () =>
    (await api.sql<{ n: number }[]>`select count(*)::int as n from deployments`)[0]!.n;

  it('report → replay → status: one deployment, the replay adds nothing, status shows it', async () => {
    const commits = join(api.stateDir, 'commits.txt');
    await writeFile(
      commits,
      'deadbeef 2026-11-30T09:00:00Z Fix the thing\ncafe1234 2026-11-30T10:00:00Z Ship\n',
    );
    const args = ['deploy', 'report', '--service', service, '--env', 'DEV', '--version', '1.4.2'];
    const first = await run(...args, '--sha', 'cafe1234', '--external-id', 'gh-1', '--commits-file', commits);
    expect(first).toMatchObject({ code: EXIT.ok, err: '' });
    expect(first.out).toContain('DEV 1.4.2: reported');
    const before = await count();
    const replay = await run(...args, '--sha', 'cafe1234', '--external-id', 'gh-1');
    expect(replay.code).toBe(EXIT.ok);
    expect(replay.out).toContain('already reported (replay)');
    expect(replay.out.split('\n')[1]).toBe(first.out.split('\n')[1]);
    expect(await count()).toBe(before);
    const [stored] = await api.sql<{ n: number }[]>`
      select count(*)::int as n from release_commits c join releases r on r.id = c.release_id
      where r.version = '1.4.2'`;
    expect(stored!.n).toBe(2);
    const status = await run('deploy', 'status', '--service', service);
    expect(status.code).toBe(EXIT.ok);
    expect(status.out).toMatch(/^DEV\t1\.4\.2\tsucceeded\t/);
  });

  it('promote refused by the API: exit 1 and the API code; promote after success: queued', async () => {
    await run(
      'deploy',
      'report',
      '--service',
      service,
      '--env',
      'DEV',
      '--version',
      '2.0.0',
      '--state',
      'in_progress',
    );
    const releaseId = (await maintainer.client.releases.list.query({ service, limit: 1 })).items[0]!.id;
    const skip = await run('deploy', 'promote', '--release', releaseId, '--env', 'FAT');
    expect(skip.code).toBe(EXIT.refused);
    expect(skip.err).toContain('PROMOTION_PREVIOUS_NOT_SUCCEEDED');
    const override = await run(
      'deploy',
      'promote',
      '--release',
      releaseId,
      '--env',
      'FAT',
      '--override-reason',
      'x',
    );
    expect(override.code).toBe(EXIT.refused);
    expect(override.err).toContain('PROMOTION_OVERRIDE_FORBIDDEN');
    const done = await run('deploy', 'report', '--service', service, '--env', 'DEV', '--version', '2.0.0');
    expect(done.code).toBe(EXIT.ok);
    const promoted = await run('deploy', 'promote', '--release', releaseId, '--env', 'FAT');
    expect(promoted).toMatchObject({ code: EXIT.ok, err: '' });
    expect(promoted.out).toContain('queued in FAT');
    const fat = await run('deploy', 'status', '--service', service, '--env', 'FAT');
    expect(fat.out).toMatch(/^FAT\t2\.0\.0\tqueued\t/);
  });

  it('unknown service: exit 1 with SERVICE_NOT_FOUND; a viewer key: exit 1 with FORBIDDEN', async () => {
    const unknown = await run(
      'deploy',
      'report',
      '--service',
      'no-such-svc',
      '--env',
      'DEV',
      '--version',
      '1',
    );
    expect(unknown.code).toBe(EXIT.refused);
    expect(unknown.err).toContain('SERVICE_NOT_FOUND');
    const viewer = cli(api.baseUrl, (await api.withKey('viewer')).key);
    const refused = await viewer('deploy', 'report', '--service', service, '--env', 'DEV', '--version', '1');
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.err).toContain('FORBIDDEN');
  });
});
