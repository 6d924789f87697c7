import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../helpers';
import { missingBinaries, type Running, startAlertingPrometheus } from './binaries';

const missing = missingBinaries();
// The binaries are part of the suite, like Chromium for e2e: missing ones fail it, saying how to get them.
if (missing.length > 0)
  throw new Error(
    `test/real: ${missing.join(' and ')} missing. Run \`node apps/api/scripts/ensure-prometheus.mjs\` as root.`,
  );

interface PromAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
}
interface Gettable {
  labels: Record<string, string>;
  startsAt: string;
  endsAt: string;
  annotations: Record<string, string>;
}

/** Polls `probe` every 250 ms until it returns a value, for at most `ms`. */
async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('a real Prometheus 2.42 with Sextant as its Alertmanager', () => {
  const api = useTestApi();
  let key: string;
  let condition = 1;
  let target: Server;
  let prometheus: Running;

  beforeAll(async () => {
    key = (await api.withKey('maintainer')).key;
    // The metric the rule watches, served by the test so it can make the alert fire and resolve.
    target = createServer((_req, res) => res.end(`sextant_test_condition ${condition}\n`));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const address = target.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    prometheus = await startAlertingPrometheus({
      target: `127.0.0.1:${port}`,
      alertmanager: new URL(api.baseUrl).host,
      apiKey: key,
    });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await new Promise((r) => target?.close(r));
  });

  const sextant = async (query = '') => {
    const res = await fetch(`${api.baseUrl}/api/v2/alerts${query}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const alerts = (await res.json()) as Gettable[];
    return alerts.find((a) => a.labels.alertname === 'SextantTestCondition');
  };

  it("delivers firing then resolved alerts that Sextant shows with Prometheus' labels and activeAt", async () => {
    const firing = await until('Prometheus to fire the rule', 30_000, async () => {
      const body = (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as {
        data: { alerts: PromAlert[] };
      };
      return body.data.alerts.find((a) => a.state === 'firing');
    });
    const ours = await until('Sextant to receive the firing alert', 20_000, () => sextant());
    expect(ours.labels).toEqual(firing.labels);
    expect(ours.labels).toMatchObject({
      alertname: 'SextantTestCondition',
      severity: 'page',
      job: 'condition',
    });
    // Prometheus sends startsAt = firedAt = activeAt (for: 0s) at millisecond precision.
    expect(Date.parse(ours.startsAt)).toBe(Date.parse(firing.activeAt));
    expect(ours.annotations).toEqual({ summary: 'condition is 1' });
    expect(Date.parse(ours.endsAt)).toBeGreaterThan(Date.now());

    condition = 0;
    await until('Prometheus to resolve the alert', 30_000, async () => {
      const body = (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as {
        data: { alerts: PromAlert[] };
      };
      return body.data.alerts.length === 0 ? true : undefined;
    });
    const resolved = await until('Sextant to show the alert resolved', 20_000, async () => {
      if (await sextant()) return undefined;
      return sextant('?resolved=true');
    });
    expect(resolved.labels).toEqual(firing.labels);
    expect(resolved.startsAt).toBe(ours.startsAt);
    expect(Date.parse(resolved.endsAt)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(resolved.endsAt)).toBeGreaterThan(Date.parse(ours.startsAt));
    const history = await api.sql<{ from_state: string; to_state: string; reason: string }[]>`
      select from_state, to_state, reason from alert_transitions
      where labels->>'alertname' = 'SextantTestCondition' order by id`;
    expect(history.map((h) => `${h.from_state}->${h.to_state} ${h.reason}`)).toEqual([
      'inactive->firing Received',
      'firing->resolved Received',
    ]);
    console.log(
      `Prometheus -> Sextant: fired ${ours.startsAt} (activeAt ${firing.activeAt}), resolved ${resolved.endsAt}`,
    );
  });
});
