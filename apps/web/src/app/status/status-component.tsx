import { BarStrip, StatusPill } from '@sextant/ui';
import { IMPACT_LABEL } from '~/lib/incidents';
import type { RouterOutputs } from '~/lib/router-types';
import { BAR_CLASS, barLabel, barTone, componentState, formatDayUptime } from '~/lib/status-page';

export type PageView = RouterOutputs['statusPages']['view'];
type Component = PageView['groups'][number]['components'][number];
type Bar = Component['bars'][number];

/** The tooltip of one day: date, uptime, and that day's incidents. */
function BarDetails({ bar }: { bar: Bar }) {
  return (
    <div className="flex flex-col gap-1">
      <span className="font-medium">{bar.day}</span>
      <span>{formatDayUptime(bar.uptime)}</span>
      {bar.incidents.length === 0 ? (
        <span className="text-muted-foreground">No incidents</span>
      ) : (
        <ul className="flex flex-col gap-0.5">
          {bar.incidents.map((i) => (
            <li key={i.id}>
              {i.title} <span className="text-muted-foreground">({IMPACT_LABEL[i.impact]})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One component: name, its state in words and colour, and its daily bars (oldest first). */
export function StatusComponent({ component: c }: { component: Component }) {
  const state = componentState(c);
  return (
    <li
      className="flex flex-col gap-2 py-4"
      data-testid="status-service"
      data-slug={c.key}
      data-status={c.status}
      data-no-data={c.noData ? 'true' : undefined}
    >
      <div className="flex items-center justify-between gap-4">
        <span className="font-medium" data-testid="status-service-name">
          {c.name}
        </span>
        <StatusPill tone={state.tone} data-testid="status-service-state">
          {state.label}
        </StatusPill>
      </div>
      <BarStrip
        testId="uptime-strip"
        label={`Daily uptime of ${c.name}, last ${c.bars.length} days`}
        bars={c.bars.map((b) => {
          const tone = barTone(b.uptime, b.incidents);
          return {
            key: b.day,
            tone,
            className: BAR_CLASS[tone],
            label: barLabel(b),
            details: <BarDetails bar={b} />,
          };
        })}
      />
      <div className="flex justify-between text-xs text-muted-foreground">
        <span>{c.bars.length} days ago</span>
        <span>Today</span>
      </div>
    </li>
  );
}
