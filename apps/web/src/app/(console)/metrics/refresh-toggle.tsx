'use client';

import { Button } from '@sextant/ui';
import { REFRESH_MS } from './use-live-window';

/** Says whether the view follows "now" and lets people freeze it while they read. */
export function RefreshToggle({
  relative,
  paused,
  onToggle,
}: {
  relative: boolean;
  paused: boolean;
  onToggle: () => void;
}) {
  if (!relative)
    return <p className="text-xs text-muted-foreground">Fixed range: not refreshed automatically.</p>;
  return (
    <div className="flex items-center gap-2 text-xs text-muted-foreground" data-testid="auto-refresh">
      <span>{paused ? 'Auto-refresh stopped.' : `Auto-refreshes every ${REFRESH_MS / 1_000} s.`}</span>
      {/* Named apart from monitors' Pause/Resume: this only freezes the view. */}
      <Button size="sm" variant="ghost" className="h-7 px-2" aria-pressed={paused} onClick={onToggle}>
        {paused ? 'Start auto-refresh' : 'Stop auto-refresh'}
      </Button>
    </div>
  );
}
