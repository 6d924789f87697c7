'use client';

import { Badge } from '@sextant/ui';
import { MatcherChips } from '~/components/matcher-chips';
import { SectionCard } from '~/components/section-card';
import type { RouterOutputs } from '~/lib/router-types';

type Preview = RouterOutputs['silences']['preview'];

/** The current alerts a draft silence would mute, refreshed as its matchers change. */
export function SilencePreview({
  preview,
  previewable,
}: {
  preview: { data?: Preview; error: { message: string } | null; isFetching: boolean };
  previewable: boolean;
}) {
  const data = previewable ? preview.data : undefined;
  return (
    <SectionCard
      title="Preview"
      description="Current alerts (not resolved) these matchers would mute."
      busy={preview.isFetching}
      className="flex flex-col gap-3"
    >
      {!previewable ? (
        <p className="text-sm text-muted-foreground">Give every matcher a label to see what it would mute.</p>
      ) : preview.error ? (
        <p role="alert" className="text-sm text-destructive">
          {preview.error.message}
        </p>
      ) : !data ? (
        <p className="text-sm text-muted-foreground">Loading…</p>
      ) : (
        <>
          <p className="text-sm" data-testid="silence-preview-count">
            Would mute {data.count} {data.count === 1 ? 'alert' : 'alerts'}
            {data.state === 'pending' ? ' once it starts' : ' now'}.
          </p>
          <ul className="flex flex-col gap-2" data-testid="silence-preview">
            {data.alerts.map((a) => (
              <li
                key={a.id}
                className="flex flex-col gap-1 rounded-md border p-2"
                data-testid="preview-alert"
              >
                <div className="flex items-center gap-2">
                  <span className="font-medium">{a.labels.alertname ?? '(no alertname)'}</span>
                  <Badge tone={a.state === 'firing' ? 'danger' : 'neutral'}>{a.state}</Badge>
                </div>
                <MatcherChips
                  matchers={Object.entries(a.labels)
                    .filter(([k]) => k !== 'alertname')
                    .map(([label, value]) => ({ label, op: '=', value }))}
                />
              </li>
            ))}
          </ul>
          {data.count > data.alerts.length ? (
            <p className="text-xs text-muted-foreground">and {data.count - data.alerts.length} more.</p>
          ) : null}
        </>
      )}
    </SectionCard>
  );
}
