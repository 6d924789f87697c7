import { describe, expect, it } from 'vitest';
import { changeText, flagMarkerLabel, flippedBefore } from '../src/lib/flag-context';

describe('flags next to what they affect (issue 18 points 1 and 3)', () => {
  it('labels a chart marker with the flag and the change, the environment left out on a one-environment chart', () => {
    const kill = { flagKey: 'checkout.new-flow', environment: 'PRO', summary: 'PRO: disabled' };
    expect(flagMarkerLabel(kill, false)).toBe('flag checkout.new-flow: PRO disabled');
    expect(flagMarkerLabel(kill, true)).toBe('flag checkout.new-flow: disabled');
    const created = { flagKey: 'x', environment: null, summary: 'created (boolean)' };
    expect(flagMarkerLabel(created, true)).toBe('flag x: created (boolean)');
    // A summary that does not start with its environment (clipped, or written otherwise) reads as stored.
    expect(changeText({ environment: 'PRO', summary: 'UAT: enabled' })).toBe('UAT: enabled');
  });

  it('names the newest of the flags’ last changes before the start, none when no flag changed', () => {
    const at = (m: number) => ({ at: new Date(m * 60_000), summary: `${m}`, environment: 'PRO' });
    const flags = [
      { key: 'a', lastChange: at(10) },
      { key: 'b', lastChange: null },
      { key: 'c', lastChange: at(30) },
      { key: 'd', lastChange: at(20) },
    ];
    expect(flippedBefore(flags)).toMatchObject({ flag: { key: 'c' }, change: { summary: '30' } });
    expect(flippedBefore([{ key: 'b', lastChange: null }])).toBeNull();
    expect(flippedBefore([])).toBeNull();
  });
});
