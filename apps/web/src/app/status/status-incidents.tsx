import { Badge } from '@sextant/ui';
import { SectionCard } from '~/components/section-card';
import { IMPACT_LABEL, STATUS_LABEL } from '~/lib/incidents';
import { LocalTime } from '~/lib/local-time';
import type { PageView } from './status-component';

type Incident = PageView['activeIncidents'][number];
type Maintenance = PageView['activeMaintenances'][number];

/** Markdown shown as plain text (React escapes it), as the incidents console does: markup stays inert. */
function Body({ text, testId }: { text: string; testId: string }) {
  return (
    <p className="whitespace-pre-wrap break-words text-sm" data-testid={testId}>
      {text}
    </p>
  );
}

/** An incident with its public updates, newest first. */
export function IncidentCard({ incident: i, names }: { incident: Incident; names: Map<string, string> }) {
  return (
    <li className="flex flex-col gap-2" data-testid="status-incident" data-id={i.id} data-status={i.status}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{i.title}</span>
        <Badge tone={i.impact === 'major_outage' ? 'danger' : 'warning'}>{IMPACT_LABEL[i.impact]}</Badge>
        <Badge>{STATUS_LABEL[i.status]}</Badge>
      </div>
      <p className="text-xs text-muted-foreground">
        Started <LocalTime value={i.startedAt} />
        {i.resolvedAt ? (
          <>
            {' '}
            · resolved <LocalTime value={i.resolvedAt} />
          </>
        ) : null}
        {i.components.length ? ` · ${i.components.map((k) => names.get(k) ?? k).join(', ')}` : null}
      </p>
      {i.updates.length ? (
        <ol className="flex flex-col gap-3 border-l pl-4">
          {i.updates.map((u) => (
            <li key={`${u.createdAt.toISOString()}-${u.status}`} className="flex flex-col gap-1">
              <div className="flex items-center gap-2 text-xs text-muted-foreground">
                <span className="font-medium text-foreground">{STATUS_LABEL[u.status]}</span>
                <LocalTime value={u.createdAt} />
              </div>
              <Body text={u.body} testId="status-update-body" />
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}

export function MaintenanceCard({ window: m, names }: { window: Maintenance; names: Map<string, string> }) {
  return (
    <li className="flex flex-col gap-1" data-testid="status-maintenance" data-id={m.id}>
      <span className="font-medium">{m.title}</span>
      <p className="text-xs text-muted-foreground">
        <LocalTime value={m.startsAt} /> – <LocalTime value={m.endsAt} />
        {m.components.length ? ` · ${m.components.map((k) => names.get(k) ?? k).join(', ')}` : null}
      </p>
      {m.description ? <Body text={m.description} testId="status-maintenance-body" /> : null}
    </li>
  );
}

/** A card of incidents or maintenance windows; hidden when there is nothing to say, unless `empty` is given. */
export function ListCard({
  title,
  testId,
  empty,
  children,
}: {
  title: string;
  testId: string;
  empty?: string;
  children: React.ReactNode[];
}) {
  if (children.length === 0 && !empty) return null;
  return (
    <SectionCard title={title} testId={testId}>
      {children.length === 0 ? (
        <p className="text-sm text-muted-foreground">{empty}</p>
      ) : (
        <ul className="flex flex-col gap-6">{children}</ul>
      )}
    </SectionCard>
  );
}
