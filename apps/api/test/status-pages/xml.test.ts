import { describe, expect, it } from 'vitest';
import { badge } from '../../src/routes/status-pages/badges';
import { escapeXml } from '../../src/routes/status-pages/xml';
import { parseXml } from './xml-check';

describe('escapeXml', () => {
  it('escapes the five markup characters and reads back to the same text', () => {
    const text = `<a href="x">Tom & 'Jerry'</a> ]]>`;
    expect(escapeXml(text)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt; ]]&gt;');
    expect(parseXml(`<t a="${escapeXml(text)}">${escapeXml(text)}</t>`)).toMatchObject({
      attrs: { a: text },
      text,
    });
  });

  it('drops what XML 1.0 cannot carry (controls, lone surrogates, U+FFFE) and keeps tabs, newlines, emoji', () => {
    const text = `a\u0000b\u0001c\u001Fd\tE\nF\r\uD800G\uDC00H\uFFFEI😀`;
    const out = escapeXml(text);
    expect(out).toBe('abcd\tE\nF\rGHI😀');
    expect(() => parseXml(`<t>${out}</t>`)).not.toThrow();
  });

  it('the reader refuses what is not well-formed, so the feed and badge tests can fail', () => {
    for (const bad of [
      '<a><b></a></b>',
      '<a>x & y</a>',
      '<a>&nbsp;</a>',
      '<a b="1" b="2"/>',
      '<a/><b/>',
      '<a>\u0001</a>',
    ])
      expect(() => parseXml(bad), bad).toThrow();
  });

  it('a badge with hostile text is well-formed SVG showing the text as written', () => {
    const svg = parseXml(badge('<x> & "y"', `</text><script>1</script>`, '#4c1'));
    expect(svg.name).toBe('svg');
    expect(svg.attrs['aria-label']).toBe('<x> & "y": </text><script>1</script>');
  });
});
