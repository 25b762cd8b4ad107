/**
 * `JSON.stringify(text)` for a string, faster on the common case: text of printable ASCII other
 * than `"` and `\` (U+0020–U+007E), which JSON.stringify copies unchanged between quotes, is
 * quoted directly; anything else (control characters, quotes, backslashes, non-ASCII, lone
 * surrogates) goes to `JSON.stringify` itself. So the result always equals `JSON.stringify(text)`
 * (a property test checks it); identifiers and short values, the bulk of what `deltaIdInput` and
 * `canonicalJson` quote, skip the builtin's call overhead.
 */
export function quoteJsonString(text: string): string {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return JSON.stringify(text);
  }
  return `"${text}"`;
}
