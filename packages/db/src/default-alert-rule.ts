import type { AlertAnnotations, MonitorCondition } from './alert-condition';

/**
 * The rule every check gets when it is created (and the seeded self-check): "<check> down" for 2 runs, editable and
 * can be turned off. One definition for the rule service and the first-run seed; `intervalSeconds` is the rule's,
 * within ALERT_RULE_LIMITS (the caller fits the check's interval to it).
 */
export function defaultCheckRule(check: {
  id: string;
  name: string;
  serviceId: string;
  intervalSeconds: number;
}) {
  const condition: MonitorCondition = {
    kind: 'monitor',
    target: { type: 'check', id: check.id },
    statuses: ['down'],
    runs: 2,
  };
  // The check's name is not put in a template: it could hold "{{".
  const annotations: AlertAnnotations = {
    summary: '{{ $labels.alertname }}: the check failed 2 runs in a row.',
  };
  return {
    name: `${check.name} down`,
    kind: 'monitor' as const,
    serviceId: check.serviceId,
    defaultForCheckId: check.id,
    condition,
    intervalSeconds: check.intervalSeconds,
    labels: { severity: 'critical' },
    annotations,
  };
}
