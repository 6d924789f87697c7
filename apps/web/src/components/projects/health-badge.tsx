import type { ProjectHealth } from '@sextant/db/enums';
import { Badge } from '@sextant/ui';
import { type FiredRule, HEALTH_LABEL, HEALTH_TONE, RULE_LABEL } from '~/lib/projects';

/** Health as a coloured badge; `data-health` carries the raw value for tests. */
export function HealthBadge({ health }: { health: ProjectHealth }) {
  return (
    <Badge tone={HEALTH_TONE[health]} data-testid="project-health" data-health={health}>
      {HEALTH_LABEL[health]}
    </Badge>
  );
}

/** The badge and the rule(s) that fired, each named; `full` adds the API's sentence with its figures. */
export function HealthWithRules({
  health,
  rules,
  full = false,
}: {
  health: ProjectHealth;
  rules: readonly FiredRule[];
  full?: boolean;
}) {
  return (
    <div className="flex flex-col items-start gap-1">
      <HealthBadge health={health} />
      {rules.length === 0 ? (
        full ? (
          <p className="text-sm text-muted-foreground">No risk rule fired.</p>
        ) : null
      ) : (
        <ul className="flex flex-col gap-0.5 text-xs" data-testid="health-rules">
          {rules.map((r) => (
            <li key={r.id} data-rule={r.id} title={r.text}>
              <span className="font-medium">{RULE_LABEL[r.id]}</span>
              {full ? <span className="text-muted-foreground">: {r.text}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
