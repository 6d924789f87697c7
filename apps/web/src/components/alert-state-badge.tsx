import type { AlertState } from '@sextant/db/enums';
import { Badge } from '@sextant/ui';
import { ALERT_STATE_TONE } from '~/lib/alerts';

/** An alert's state, coloured by urgency; `data-state` carries the raw value for tests. */
export function AlertStateBadge({ state }: { state: AlertState }) {
  return (
    <Badge tone={ALERT_STATE_TONE[state]} data-state={state}>
      {state}
    </Badge>
  );
}
