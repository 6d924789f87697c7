import { describe, expect, it } from 'vitest';
import { matcherText, newSilenceHref, parseMatcher, silenceHrefForLabels } from '../src/lib/matcher-text';

describe('the prefilled silence form URL', () => {
  it('is one matcher parameter per matcher, as documented', () => {
    expect(
      newSilenceHref([
        { label: 'alertname', op: '=', value: 'HighErrors' },
        { label: 'service', op: '=', value: 'checkout' },
      ]),
    ).toBe('/silences/new?matcher=alertname%3DHighErrors&matcher=service%3Dcheckout');
    expect(newSilenceHref([])).toBe('/silences/new');
  });

  it('reads back every operator, values holding operators and spaces included', () => {
    for (const m of [
      { label: 'a', op: '=', value: 'x=y' },
      { label: 'b', op: '!=', value: '' },
      { label: 'c', op: '=~', value: 'api|web !~ x' },
      { label: 'd_1', op: '!~', value: '.*=.*' },
    ] as const) {
      const url = new URL(newSilenceHref([m]), 'http://console.test');
      expect(parseMatcher(url.searchParams.get('matcher')!)).toEqual(m);
      expect(parseMatcher(matcherText(m))).toEqual(m);
    }
    expect(parseMatcher('no operator')).toBeNull();
    expect(parseMatcher('1bad=x')).toBeNull();
  });

  it('"Silence this alert" uses the non-empty labels, sorted', () => {
    expect(silenceHrefForLabels({ zone: 'aa', alertname: 'X', empty: '' })).toBe(
      '/silences/new?matcher=alertname%3DX&matcher=zone%3Daa',
    );
  });
});
