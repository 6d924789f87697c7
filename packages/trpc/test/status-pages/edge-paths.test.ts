import { describe, expect, it } from 'vitest';
import { isStatusPageEdge, STATUSPAGE_FILES } from '../../src/schemas/status-pages';

describe('isStatusPageEdge: the only paths the console forwards to a page’s edges', () => {
  it('accepts every JSON file, both feeds, the page badge and each component badge', () => {
    for (const f of STATUSPAGE_FILES) expect(isStatusPageEdge(`api/v2/${f}`)).toBe(true);
    for (const p of ['history.atom', 'history.rss', 'badge.svg', 'one-click-unsubscribe'])
      expect(isStatusPageEdge(p), p).toBe(true);
    for (const b of ['badge', 'uptime-24h', 'uptime-7d', 'uptime-30d'])
      expect(isStatusPageEdge(`components/shop-api/${b}.svg`), b).toBe(true);
  });

  it('refuses anything else, traversal and over-long keys included', () => {
    for (const p of [
      '',
      'api/v2/secrets.json',
      'api/v2/../../metrics',
      '../../metrics',
      'components/../badge.svg',
      'components/shop/uptime-1y.svg',
      'components/shop/badge.svg/more',
      'components/Shop/badge.svg',
      `components/${'a'.repeat(61)}/badge.svg`,
      'history.atom/',
      // The human unsubscribe and confirm pages are the console's own, never forwarded.
      'unsubscribe',
      'confirm',
      'one-click-unsubscribe/x',
    ])
      expect(isStatusPageEdge(p), p).toBe(false);
  });
});
