import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_LIMITS } from '../../src/limits';
import { type DeployWorld, deployWorld, refusal } from './world';

let w: DeployWorld;
beforeAll(async () => {
  w = await deployWorld();
});
afterAll(async () => {
  await w?.f.close();
});

let n = 0;
const ext = () => `ci-run-${++n}`;
const commit = (i: number) => ({
  sha: (0xabc0000 + i).toString(16).padEnd(40, '0'),
  committedAt: new Date(Date.UTC(2026, 10, 1, 0, i)),
  message: `change ${i}`,
});

describe('requirement 1: deployments.report is idempotent on (service, environment, externalId)', () => {
  it('makes the release and the deployment, audited; a replay returns the same id and writes nothing', async () => {
    const ci = await w.as('maintainer', 'key');
    const input = {
      service: await w.service(),
      environment: 'fat',
      version: 'v1.4.2',
      commitSha: 'ABCDEF1234567',
      commits: [commit(1), commit(2)],
      notes: '## Fixed\n- the thing',
      artifactUrl: 'https://registry.example.com/app:v1.4.2',
      state: 'in_progress' as const,
      externalId: ext(),
    };
    const before = await w.counts();
    const first = await ci.deployments.report(input);
    expect(first).toMatchObject({ created: true, replayed: false, state: 'in_progress' });
    expect(await w.counts()).toEqual({
      releases: before.releases + 1,
      commits: before.commits + 2,
      deployments: before.deployments + 1,
      audit: before.audit + 2,
    });
    const made = await w.counts();
    const replay = await ci.deployments.report(input);
    expect(replay).toEqual({ ...first, created: false, replayed: true });
    expect(await w.counts()).toEqual(made);

    const release = await ci.releases.get({ id: first.releaseId });
    expect(release).toMatchObject({ version: 'v1.4.2', commitSha: 'abcdef1234567', notes: input.notes });
    expect(release.commits.map((c) => c.sha)).toEqual([commit(1).sha, commit(2).sha]);
    expect(release.createdByApiKeyId).not.toBeNull();
    const shown = await ci.deployments.get({ id: first.id });
    expect(shown).toMatchObject({ environment: 'FAT', service: input.service, version: 'v1.4.2' });
  });

  it('a later state for the same external id moves that deployment (one audit entry, no new row)', async () => {
    const ci = await w.as('maintainer', 'key');
    const base = { service: await w.service(), environment: 'DEV', version: '2.0.0', externalId: ext() };
    const queued = await ci.deployments.report({ ...base, state: 'queued' });
    const before = await w.counts();
    const running = await ci.deployments.report({ ...base, state: 'in_progress' });
    const done = await ci.deployments.report({ ...base, state: 'succeeded' });
    expect([running.id, done.id]).toEqual([queued.id, queued.id]);
    expect(done).toMatchObject({ state: 'succeeded', created: false, replayed: false });
    expect(await w.counts()).toEqual({ ...before, audit: before.audit + 2 });
  });

  it('an out-of-order state for an external id is refused with a code and writes nothing', async () => {
    const ci = await w.as('maintainer', 'key');
    const base = { service: await w.service(), environment: 'DEV', version: '2.1.0', externalId: ext() };
    await ci.deployments.report({ ...base, state: 'succeeded' });
    const before = await w.counts();
    const r = await refusal(ci.deployments.report({ ...base, state: 'in_progress', commits: [commit(9)] }));
    expect(r).toMatchObject({ code: 'DEPLOYMENT_ILLEGAL_TRANSITION', path: 'state' });
    expect(await w.counts()).toEqual(before);
  });

  it('concurrent replays of one external id make exactly one release, one deployment and one audit pair', async () => {
    const ci = await w.as('maintainer', 'key');
    const input = {
      service: await w.service(),
      environment: 'UAT',
      version: '3.0.0',
      commits: [commit(3)],
      state: 'queued' as const,
      externalId: ext(),
    };
    const before = await w.counts();
    const results = await Promise.all(Array.from({ length: 8 }, () => ci.deployments.report(input)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await w.counts()).toEqual({
      releases: before.releases + 1,
      commits: before.commits + 1,
      deployments: before.deployments + 1,
      audit: before.audit + 2,
    });
  });

  it('the same version in any case is the same release; without an external id every report is a new deployment', async () => {
    const ci = await w.as('maintainer', 'key');
    const service = await w.service();
    const a = await ci.deployments.report({
      service,
      environment: 'DEV',
      version: 'V5.0',
      state: 'succeeded',
    });
    const b = await ci.deployments.report({ service, environment: 'FAT', version: 'v5.0', state: 'queued' });
    const c = await ci.deployments.report({ service, environment: 'FAT', version: 'v5.0', state: 'queued' });
    expect(b.releaseId).toBe(a.releaseId);
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect((await ci.releases.list({ service })).items).toHaveLength(1);
  });

  it('an external id reused for another version, or a version with another SHA, is a coded conflict', async () => {
    const ci = await w.as('maintainer', 'key');
    const service = await w.service();
    const externalId = ext();
    await ci.deployments.report({
      service,
      environment: 'DEV',
      version: '1',
      commitSha: 'aaaaaaa',
      state: 'queued',
      externalId,
    });
    const before = await w.counts();
    const other = await refusal(
      ci.deployments.report({ service, environment: 'DEV', version: '2', state: 'queued', externalId }),
    );
    expect(other).toMatchObject({ code: 'DEPLOYMENT_EXTERNAL_ID_CONFLICT', path: 'externalId' });
    const sha = await refusal(
      ci.deployments.report({
        service,
        environment: 'FAT',
        version: '1',
        commitSha: 'bbbbbbb',
        state: 'queued',
      }),
    );
    expect(sha).toMatchObject({ code: 'RELEASE_COMMIT_MISMATCH', path: 'commitSha' });
    expect(await w.counts()).toEqual(before);
  });
});

describe('bad reports are refused with a code and write nothing', () => {
  const cases: [string, (service: string) => Record<string, unknown>, string, string][] = [
    ['an unknown service', () => ({ service: 'no-such-service' }), 'SERVICE_NOT_FOUND', 'service'],
    ['an unknown environment', () => ({ environment: 'STAGING' }), 'ENVIRONMENT_NOT_FOUND', 'environment'],
    ['a SHA that is not hex', () => ({ commitSha: 'not-a-sha' }), 'VALIDATION_FAILED', 'commitSha'],
    ['a SHA that is too short', () => ({ commitSha: 'abc12' }), 'VALIDATION_FAILED', 'commitSha'],
    [
      'too many commits',
      () => ({ commits: Array.from({ length: DELIVERY_LIMITS.commits + 1 }, (_, i) => commit(i)) }),
      'VALIDATION_FAILED',
      'commits',
    ],
    [
      'a bad commit SHA',
      () => ({ commits: [{ ...commit(1), sha: 'zz' }] }),
      'VALIDATION_FAILED',
      'commits.0.sha',
    ],
    ['100 KB of notes', () => ({ notes: 'x'.repeat(100_000) }), 'VALIDATION_FAILED', 'notes'],
    [
      'an artifact link that is not http',
      () => ({ artifactUrl: 'ftp://x.example/a' }),
      'VALIDATION_FAILED',
      'artifactUrl',
    ],
    ['an empty version', () => ({ version: '  ' }), 'VALIDATION_FAILED', 'version'],
    ['an unknown state', () => ({ state: 'done' }), 'VALIDATION_FAILED', 'state'],
  ];
  for (const [what, over, code, path] of cases) {
    it(`${what}: ${code} on ${path}`, async () => {
      const ci = await w.as('maintainer', 'key');
      const input = {
        service: await w.service(),
        environment: 'DEV',
        version: '9.9.9',
        state: 'queued',
        externalId: ext(),
      };
      const before = await w.counts();
      const r = await refusal(ci.deployments.report({ ...input, ...over(input.service) } as never));
      expect(r).toMatchObject({ code, path });
      expect(await w.counts()).toEqual(before);
    });
  }

  it('a viewer (user or key) is FORBIDDEN to report and writes nothing', async () => {
    const service = await w.service();
    const before = await w.counts();
    for (const via of ['user', 'key'] as const) {
      const viewer = await w.as('viewer', via);
      const r = await refusal(
        viewer.deployments.report({ service, environment: 'DEV', version: '1', state: 'queued' }),
      );
      expect(r.code).toBe('FORBIDDEN');
    }
    expect(await w.counts()).toEqual(before);
  });
});

describe('reading deployments and releases', () => {
  it('lists newest first, per service and environment, page by page', async () => {
    const ci = await w.as('maintainer', 'key');
    const service = await w.service();
    const at = (m: number) => new Date(Date.UTC(2026, 10, 20, 12, m));
    for (let i = 0; i < 5; i++)
      await ci.deployments.report({
        service,
        environment: 'PRO',
        version: `1.${i}`,
        state: 'succeeded',
        at: at(i),
      });
    await ci.deployments.report({ service, environment: 'DEV', version: '1.9', state: 'queued', at: at(9) });
    const viewer = await w.as('viewer');
    const page1 = await viewer.deployments.list({ service, environment: 'pro', limit: 3 });
    expect(page1.items.map((d) => d.version)).toEqual(['1.4', '1.3', '1.2']);
    const page2 = await viewer.deployments.list({
      service,
      environment: 'pro',
      limit: 3,
      cursor: page1.nextCursor!,
    });
    expect(page2.items.map((d) => d.version)).toEqual(['1.1', '1.0']);
    expect(page2.nextCursor).toBeNull();
    expect((await viewer.deployments.list({ service })).items).toHaveLength(6);
    const releases = await viewer.releases.list({ service, limit: 200 });
    expect(releases.items).toHaveLength(6);
    const r = await refusal(viewer.deployments.list({ service: 'nope' }));
    expect(r.code).toBe('SERVICE_NOT_FOUND');
  });
});
