const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML and SVG, in element content and in quoted attribute values alike: after
 * this no character of `text` can open a tag, end an attribute or start an entity. Control
 * characters (other than tab, newline and carriage return) and lone surrogates become U+FFFD, so
 * the page stays well formed whatever a detail string holds.
 */
export function escapeHtml(text: string): string {
  let escaped = '';
  for (const character of text) {
    const entity = ENTITIES[character];
    if (entity !== undefined) {
      escaped += entity;
    } else if (isUnprintable(character.codePointAt(0) ?? 0)) {
      escaped += '\ufffd';
    } else {
      escaped += character;
    }
  }
  return escaped;
}

function isUnprintable(code: number): boolean {
  if (code < 0x20) return code !== 0x09 && code !== 0x0a && code !== 0x0d;
  return code === 0x7f || (code >= 0xd800 && code <= 0xdfff);
}
