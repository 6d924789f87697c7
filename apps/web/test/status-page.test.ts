import { COMPONENT_STATUSES } from '@sextant/db/enums';
import { describe, expect, it } from 'vitest';
import {
  BAR_CLASS,
  barLabel,
  barTone,
  COMPONENT_STATUS_LABEL,
  componentState,
  formatDayUptime,
  groupNames,
  moveItem,
  OVERALL_LABEL,
} from '../src/lib/status-page';

describe('status page bars', () => {
  it('colours a day by its uptime: green from 99.9 %, amber from 99 %, red below, grey without data', () => {
    expect([1, 0.999, 0.9989, 0.99, 0.9899, 0, null].map((u) => barTone(u))).toEqual([
      'up',
      'up',
      'minor',
      'minor',
      'down',
      'down',
      'none',
    ]);
    expect(BAR_CLASS[barTone(1)]).toBe('bg-success');
    expect(BAR_CLASS[barTone(0.995)]).toBe('bg-warning');
    expect(BAR_CLASS[barTone(0.5)]).toBe('bg-destructive');
    expect(BAR_CLASS[barTone(null)]).toBe('bg-muted-foreground/25');
  });

  it('colours a day by the worse of its uptime and its incidents', () => {
    const partial = { impact: 'partial_outage' as const };
    const major = { impact: 'major_outage' as const };
    expect(barTone(1, [partial])).toBe('minor');
    expect(barTone(null, [partial])).toBe('minor');
    expect(barTone(1, [partial, major])).toBe('down');
    expect(barTone(0.5, [partial])).toBe('down');
    expect(barTone(1, [])).toBe('up');
  });

  it('never rounds a day that was not whole up to 100 %', () => {
    expect(formatDayUptime(0.99999)).toBe('99.99% uptime');
    expect(formatDayUptime(1)).toBe('100.00% uptime');
    expect(formatDayUptime(null)).toBe('No data');
  });

  it('names a bar by its date, uptime and incidents', () => {
    expect(barLabel({ day: '2026-11-30', uptime: 0.5, incidents: [] })).toBe(
      '2026-11-30: 50.00% uptime; no incidents',
    );
    expect(
      barLabel({
        day: '2026-11-30',
        uptime: null,
        incidents: [{ title: 'Checkout errors' }, { title: 'DNS' }],
      }),
    ).toBe('2026-11-30: No data; 2 incidents: Checkout errors, DNS');
  });
});

describe('status page words', () => {
  it('has a readable label for every component status, and an overall banner for each', () => {
    for (const s of COMPONENT_STATUSES) {
      expect(COMPONENT_STATUS_LABEL[s]).toMatch(/^[A-Z][a-z ]+$/);
      expect(OVERALL_LABEL[s]).toBeTruthy();
    }
    expect(COMPONENT_STATUS_LABEL.degraded_performance).toBe('Degraded performance');
    expect(COMPONENT_STATUS_LABEL.under_maintenance).toBe('Under maintenance');
  });

  it('says "No data" for an operational component nobody observes, but never hides a real state', () => {
    expect(componentState({ status: 'operational', noData: true })).toEqual({
      label: 'No data',
      tone: 'neutral',
    });
    expect(componentState({ status: 'operational', noData: false })).toEqual({
      label: 'Operational',
      tone: 'success',
    });
    expect(componentState({ status: 'under_maintenance', noData: true }).label).toBe('Under maintenance');
    expect(componentState({ status: 'major_outage', noData: false }).tone).toBe('danger');
  });
});

describe('the status page form', () => {
  it('suggests the group names in use, first-seen order, without blanks or repeats', () => {
    expect(
      groupNames([{ group: 'API' }, { group: null }, { group: ' ' }, { group: 'Web' }, { group: 'API ' }]),
    ).toEqual(['API', 'Web']);
  });

  it('moves a component up or down one place, and not past either end', () => {
    expect(moveItem(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});
