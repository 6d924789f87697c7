import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApi, useUser } from '../helpers';
import { collector, message, target } from './fixtures';

const api = useTestApi();
const admin = useUser(api, 'admin');
let remote: Awaited<ReturnType<typeof collector>>;
beforeAll(async () => {
  remote = await collector((_r, res) => res.end());
});
afterAll(async () => {
  await remote.close();
});

describe("the server's runtime.sendNotification", () => {
  it('sends under the outbound lists an admin saved (Settings → Outbound)', async () => {
    await admin.client.settings.setOutbound.mutate({ deny: [], allow: ['127.0.0.1'] });
    const send = api.runtime.sendNotification!;
    const t = target({ kind: 'webhook', url: `${remote.base}/hook`, maxAlerts: 0, timeoutMs: 2_000 });
    const outcome = await send(t, message(), { timeoutMs: 2_000 });
    expect(outcome).toMatchObject({ class: 'success', status: 200 });
    expect(remote.received.map((r) => r.url)).toEqual(['/hook']);
  });

  it('refuses the cloud metadata address (a built-in deny rule) before connecting', async () => {
    const t = target({
      kind: 'webhook',
      url: 'http://169.254.169.254/latest',
      maxAlerts: 0,
      timeoutMs: 2_000,
    });
    const outcome = await api.runtime.sendNotification!(t, message(), { timeoutMs: 2_000 });
    expect(outcome).toMatchObject({ class: 'permanent', status: null });
    expect(outcome.error).toMatch(/^169\.254\.169\.254 is in /);
  });
});
