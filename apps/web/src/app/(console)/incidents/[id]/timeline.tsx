import { Badge } from '@sextant/ui';
import { SectionCard } from '~/components/section-card';
import { STATUS_LABEL } from '~/lib/incidents';
import { LocalTime } from '~/lib/local-time';
import type { IncidentDetail } from './incident-detail-view';

/**
 * The updates as the API orders them, newest first. Bodies are markdown shown as plain text (React escapes it),
 * so markup such as a script tag stays inert text.
 */
export function Timeline({
  updates,
  people,
}: {
  updates: IncidentDetail['updates'];
  people: IncidentDetail['people'];
}) {
  return (
    <SectionCard title="Timeline" testId="incident-timeline">
      {updates.length === 0 ? (
        <p className="text-sm text-muted-foreground">No updates yet.</p>
      ) : (
        <ol className="flex flex-col gap-4">
          {updates.map((u) => (
            <li
              key={u.id}
              data-testid="incident-update"
              data-visibility={u.visibility}
              className="flex flex-col gap-1"
            >
              <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
                <Badge>{STATUS_LABEL[u.status]}</Badge>
                {u.visibility === 'internal' ? (
                  <Badge tone="warning" data-testid="internal-mark">
                    internal
                  </Badge>
                ) : null}
                <LocalTime value={u.createdAt} />
                {u.authorId ? <span>· {people[u.authorId] ?? 'a former user'}</span> : null}
              </div>
              <p className="whitespace-pre-wrap break-words text-sm" data-testid="incident-update-body">
                {u.body}
              </p>
            </li>
          ))}
        </ol>
      )}
    </SectionCard>
  );
}
