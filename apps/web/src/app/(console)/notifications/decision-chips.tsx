import { Badge } from '@sextant/ui';
import { DELIVERY_STATE_TONE, integrationLabel } from '~/lib/notifications';
import type { RouterOutputs } from '~/lib/router-types';

type Decision = RouterOutputs['notifications']['ticks']['items'][number]['decisions'][number] & {
  position?: number | null;
};

/** One chip per integration: sent or not, the reason, and what became of the message. */
export function DecisionChips({ decisions }: { decisions: Decision[] }) {
  if (decisions.length === 0) return <span className="text-xs text-muted-foreground">No integration</span>;
  return (
    <ul className="flex flex-col gap-1">
      {decisions.map((d) => (
        <li
          key={d.integrationId}
          className="flex flex-wrap items-center gap-1 text-xs"
          data-testid="decision"
          data-notify={d.notify}
        >
          <Badge tone={d.notify ? 'success' : 'neutral'}>
            {d.notify ? 'sent' : 'not sent'} · {d.reason}
          </Badge>
          <span className="text-muted-foreground">{integrationLabel(d.kind, d.position)}</span>
          {d.delivery ? (
            <Badge tone={DELIVERY_STATE_TONE[d.delivery.state]} data-testid="delivery-state">
              {d.delivery.state}
            </Badge>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
