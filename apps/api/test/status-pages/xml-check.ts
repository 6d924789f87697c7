// A strict little XML 1.0 reader for the tests (no XML parser is in the lockfile): it throws on anything not
// well-formed (unbalanced or crossed tags, bare `<` or `&`, unknown entities, duplicate or unquoted attributes,
// forbidden characters, text outside the root) and gives back the element tree with decoded text.

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const NAME = '[A-Za-z_][\\w:.-]*';
const START = new RegExp(`<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, 'y');
const ATTR = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'g');
const END = new RegExp(`</(${NAME})\\s*>`, 'y');
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML forbids.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function decode(text: string): string {
  return text.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`bare & near ${JSON.stringify(whole)}`);
    if (ref in NAMED) return NAMED[ref]!;
    const num = /^#(\d+)$/.exec(ref) ?? /^#x([0-9a-fA-F]+)$/.exec(ref);
    if (!num) throw new Error(`unknown entity &${ref};`);
    return String.fromCodePoint(Number.parseInt(num[1]!, ref.startsWith('#x') ? 16 : 10));
  });
}

export function parseXml(src: string): XmlNode {
  if (FORBIDDEN.test(src)) throw new Error('forbidden character');
  let i = 0;
  const prolog = /^<\?xml[^?]*\?>/.exec(src);
  if (prolog) i = prolog[0].length;
  const stack: XmlNode[] = [];
  let root: XmlNode | null = null;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const text = src.slice(i, lt === -1 ? src.length : lt);
    if (text.includes(']]>')) throw new Error(']]> in text');
    const top = stack.at(-1);
    if (top) top.text += decode(text);
    else if (text.trim()) throw new Error(`text outside the root: ${JSON.stringify(text.slice(0, 40))}`);
    if (lt === -1) break;
    i = lt;
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i);
      if (end === -1) throw new Error('unclosed comment');
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i);
      if (end === -1 || !top) throw new Error('bad CDATA');
      top.text += src.slice(i + 9, end);
      i = end + 3;
    } else if (src.startsWith('</', i)) {
      END.lastIndex = i;
      const m = END.exec(src);
      const open = stack.pop();
      if (!m || !open || open.name !== m[1]) throw new Error(`mismatched end tag at ${i}`);
      i = END.lastIndex;
    } else {
      START.lastIndex = i;
      const m = START.exec(src);
      if (!m) throw new Error(`bad start tag at ${i}: ${JSON.stringify(src.slice(i, i + 40))}`);
      const node: XmlNode = { name: m[1]!, attrs: {}, children: [], text: '' };
      for (const a of m[2]!.matchAll(ATTR)) {
        if (a[1]! in node.attrs) throw new Error(`duplicate attribute ${a[1]}`);
        node.attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
      }
      if (top) top.children.push(node);
      else if (root) throw new Error('second root element');
      else root = node;
      if (m[3] !== '/') stack.push(node);
      i = START.lastIndex;
    }
  }
  if (stack.length || !root) throw new Error('unclosed elements or no root');
  return root;
}

/** Child elements by name, and the decoded text of the first one. */
export const childrenOf = (n: XmlNode, name: string) => n.children.filter((c) => c.name === name);
export const textOf = (n: XmlNode, name: string) => childrenOf(n, name)[0]?.text ?? null;
