'use client';

import { RangePicker } from './range-picker';
import { RefreshToggle } from './refresh-toggle';
import type { useLiveWindow } from './use-live-window';

/** The metrics pages' range presets and custom range, with whether the view follows "now". */
export function RangeControls({ live }: { live: ReturnType<typeof useLiveWindow> }) {
  return (
    <div className="flex flex-col items-end gap-1">
      <RangePicker range={live.range} onChange={live.setRange} />
      <RefreshToggle
        relative={live.range.kind === 'relative'}
        paused={live.paused}
        onToggle={() => live.setPaused((p) => !p)}
      />
    </div>
  );
}
