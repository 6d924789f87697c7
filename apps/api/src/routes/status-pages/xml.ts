const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Characters XML 1.0 forbids even escaped: controls other than tab/newline/return, U+FFFE/F, lone surrogates. */
function allowed(code: number) {
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return code !== 0xfffe && code !== 0xffff;
}

/** Text or attribute value made safe for XML (and so for HTML and SVG): escaped, forbidden characters dropped. */
export function escapeXml(text: string): string {
  let out = '';
  // for…of walks code points, so a proper surrogate pair arrives whole (and is kept) while a lone half is dropped.
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code > 0xffff) out += ch;
    else if (allowed(code)) out += ENTITIES[ch] ?? ch;
  }
  return out;
}
