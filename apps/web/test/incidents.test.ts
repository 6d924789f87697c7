import { INCIDENT_STATUSES } from '@sextant/db/enums';
import { INCIDENT_TRANSITIONS } from '@sextant/trpc/schemas';
import { describe, expect, it } from 'vitest';
import { formatMs, nextStatuses, transitionLabel } from '../src/lib/incidents';

describe('the incident page actions', () => {
  it('offers exactly the moves of the transition table, worded per move', () => {
    expect(nextStatuses('investigating').map((to) => transitionLabel('investigating', to))).toEqual([
      'Mark identified',
      'Mark monitoring',
      'Resolve',
    ]);
    expect(nextStatuses('monitoring').map((to) => transitionLabel('monitoring', to))).toEqual(['Resolve']);
    expect(nextStatuses('resolved').map((to) => transitionLabel('resolved', to))).toEqual(['Reopen']);
    for (const s of INCIDENT_STATUSES) expect(nextStatuses(s)).toEqual(INCIDENT_TRANSITIONS[s]);
  });

  it('shows durations compactly, a missing one as a dash', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(0)).toBe('0s');
    expect(formatMs(125_900)).toBe('2m 5s');
    expect(formatMs(3 * 3_600_000 + 60_000)).toBe('3h 1m');
  });
});
