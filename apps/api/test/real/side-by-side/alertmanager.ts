/** The anchor's half: Alertmanager's configuration for the cases, and a Side that talks to its API v2. */
import type { ConditionMatcher } from '@sextant/db';
import { type Running, startAlertmanager } from '../binaries';
import type { Collector } from '../webhook-collector';
import { type Case, type CaseRoute, caseMatcher, receiversOf, UNIT_MS } from './cases';
import type { PostableAlert, Side } from './timeline';

/** The root's receiver: every pushed alert carries a case label, so anything arriving here is a routing bug. */
export const ROOT_RECEIVER = 'root';

/** Units as Go durations, which Alertmanager parses ("2000ms"). */
const duration = (units: number) => `${Math.round(units * UNIT_MS)}ms`;
const matcherText = (m: ConditionMatcher) => `${m.label}${m.op}${JSON.stringify(m.value)}`;

function amRoute(route: CaseRoute, own: ConditionMatcher[]): Record<string, unknown> {
  return {
    receiver: route.receiver,
    matchers: [...own, ...(route.matchers ?? [])].map(matcherText),
    continue: route.continue ?? false,
    ...(route.groupBy === undefined ? {} : { group_by: route.groupBy }),
    ...(route.gw === undefined ? {} : { group_wait: duration(route.gw) }),
    ...(route.gi === undefined ? {} : { group_interval: duration(route.gi) }),
    ...(route.ri === undefined ? {} : { repeat_interval: duration(route.ri) }),
    ...(route.children ? { routes: route.children.map((child) => amRoute(child, [])) } : {}),
  };
}

/** alertmanager.yml (as JSON, which YAML reads) with one subtree, receivers and inhibition rules per case. */
export function alertmanagerConfig(cases: readonly Case[], collector: Collector): string {
  const receivers = [ROOT_RECEIVER, ...cases.flatMap((c) => receiversOf(c.route))];
  return JSON.stringify(
    {
      route: {
        receiver: ROOT_RECEIVER,
        group_by: [],
        group_wait: '1s',
        group_interval: '1s',
        repeat_interval: '1h',
        routes: cases.map((c) => amRoute(c.route, [caseMatcher(c)])),
      },
      receivers: receivers.map((name) => ({
        name,
        webhook_configs: [{ url: `${collector.url}/${encodeURIComponent(name)}`, send_resolved: true }],
      })),
      inhibit_rules: cases.flatMap((c) =>
        (c.inhibit ?? []).map((rule) => ({
          source_matchers: [caseMatcher(c), ...rule.source].map(matcherText),
          target_matchers: [caseMatcher(c), ...rule.target].map(matcherText),
          equal: rule.equal,
        })),
      ),
    },
    null,
    2,
  );
}

async function ok(res: Response, what: string) {
  if (!res.ok) throw new Error(`Alertmanager ${what}: ${res.status} ${await res.text()}`);
}

/** A real Alertmanager configured for `cases`, delivering to `collector`. */
export async function alertmanagerSide(
  cases: readonly Case[],
  collector: Collector,
): Promise<Side & { am: Running }> {
  const am = await startAlertmanager(alertmanagerConfig(cases, collector));
  const post = (path: string, body: unknown) =>
    fetch(`${am.url}/api/v2/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return {
    name: 'Alertmanager 0.25',
    collector,
    am,
    async push(alerts: PostableAlert[]) {
      await ok(await post('alerts', alerts), 'POST /api/v2/alerts');
    },
    async silence(matchers, startsAt, endsAt, comment) {
      const res = await post('silences', {
        matchers: matchers.map((m) => ({
          name: m.label,
          value: m.value,
          isRegex: m.op === '=~' || m.op === '!~',
          isEqual: m.op === '=' || m.op === '=~',
        })),
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        createdBy: 'side-by-side',
        comment,
      });
      await ok(res, 'POST /api/v2/silences');
    },
  };
}
