import { createDatabase, type Database } from '@sextant/db';
import { deliverDue, sendWeeklyDigests } from '@sextant/trpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SignedIn, useTestApi } from '../helpers';
import { sendLoopback, startSmtp } from './fixtures';

// The weekly project digest end to end (issue 17 point 4): queued by the job's function, delivered by the outbox
// through the project's email integration to a real SMTP server on loopback, one mail per recipient.

const PUBLIC_URL = 'https://console.example.test';
const api = useTestApi({ API_RATE_LIMIT_PER_MIN: '0', SEXTANT_PUBLIC_URL: PUBLIC_URL });
// A fixed Monday after 08:00 UTC: the job's clock and the delivery clock agree, so max age never interferes.
const NOW = Date.parse('2026-11-23T08:05:00Z');

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let db: Database;
let admin: SignedIn;
let maintainer: SignedIn;
let projectId: string;

beforeAll(async () => {
  smtp = await startSmtp();
  db = createDatabase(api.databaseUrl, { max: 2 });
  admin = await api.asUser('admin');
  maintainer = await api.asUser('maintainer');
  await admin.client.settings.setOutbound.mutate({ deny: [], allow: ['127.0.0.1'] });
  const receiver = await admin.client.receivers.create.mutate({
    receiver: {
      name: 'Digest mail',
      integrations: [
        {
          kind: 'email',
          to: ['team-list@example.test'],
          from: 'sextant@example.test',
          smarthost: { host: '127.0.0.1', port: smtp.port },
          requireTls: false,
        },
      ],
    },
  });
  const project = await maintainer.client.projects.create.mutate({
    name: 'Launch <v2>',
    startDate: '2026-10-01',
    targetDate: '2026-12-31',
  });
  projectId = project.id;
  await maintainer.client.projects.update.mutate({
    id: projectId,
    project: { digestIntegrationId: receiver.integrations[0]!.id },
  });
  await maintainer.client.projects.addMember.mutate({ projectId, userId: maintainer.userId, digest: true });
  await admin.client.projects.subscribe.mutate({ projectId });
});
afterAll(async () => {
  await smtp?.close();
  await db?.close();
});

describe('weekly project digest over real SMTP (issue 17 point 4)', () => {
  it('mails each recipient once, to them only, with the figures and a link to the project page', async () => {
    const queued = await sendWeeklyDigests(db.db, db.sql, { nowMs: NOW, publicUrl: PUBLIC_URL });
    expect(queued).toEqual({ projects: 1, queued: 2 });
    // A second instance's tick the same week queues nothing more.
    expect(await sendWeeklyDigests(db.db, db.sql, { nowMs: NOW + 600_000, publicUrl: PUBLIC_URL })).toEqual({
      projects: 0,
      queued: 0,
    });
    for (let round = 0; round < 5; round++) {
      const done = await deliverDue(db.sql, NOW + 1_000, sendLoopback(), { publicUrl: PUBLIC_URL });
      if (done.length === 0) break;
      expect(done.every((d) => d.result === 'delivered')).toBe(true);
    }
    expect(smtp.captured).toHaveLength(2);
    const to = smtp.captured.map((m) => (m.to as { text: string }).text).sort();
    expect(to).toEqual([admin.email, maintainer.email].sort());
    for (const mail of smtp.captured) {
      expect(mail.subject).toBe('Weekly digest: Launch <v2>, 2026-11-16 to 2026-11-22');
      expect(mail.text).toContain('Done this week: 0 items (0 points)');
      expect(mail.text).toContain('Health: ');
      expect(mail.text).toContain(`Open the project: ${PUBLIC_URL}/projects/${projectId}`);
      expect(mail.html).toContain('Launch &lt;v2&gt;');
      expect(mail.text).not.toContain('team-list@example.test');
    }
    const rows = await api.sql<{ state: string }[]>`
      select state from notification_outbox where route_id = ${`project-digest:${projectId}`}`;
    expect(rows.map((r) => r.state)).toEqual(['delivered', 'delivered']);
  });
});
