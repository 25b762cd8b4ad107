/**
 * Whether `text` has a lone UTF-16 surrogate at or after `from`: a high surrogate not followed
 * by a low one, or a low surrogate on its own. Such a string has no UTF-8 form, so on the wire it
 * arrives as U+FFFD and no longer hashes to the `deltaId` its writer computed; identifiers that
 * travel as raw strings (table, row id, client id, column names) must be refused before that.
 * Column values are safe: they travel as JSON text, which escapes lone surrogates.
 */
export function hasLoneSurrogate(text: string, from = 0): boolean {
  for (let index = from; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0xd800 || code > 0xdfff) continue;
    if (code >= 0xdc00) return true;
    const next = text.charCodeAt(index + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
    index++;
  }
  return false;
}
