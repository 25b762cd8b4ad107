import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { quoteJsonString } from '../json-quote';

/** The fast path must be invisible: every string quotes exactly as `JSON.stringify` quotes it. */
describe('quoteJsonString', () => {
  it.each([
    ['', '""'],
    ['plain id-7', '"plain id-7"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['tab\there', '"tab\\there"'],
    ['\u0000\u001f\u007f', JSON.stringify('\u0000\u001f\u007f')],
    ['émigré 日本 🚀', '"émigré 日本 🚀"'],
    ['lone \ud800 high', '"lone \\ud800 high"'],
    ['lone \udc00 low', '"lone \\udc00 low"'],
  ])('quotes %j as JSON.stringify does', (text, expected) => {
    expect(quoteJsonString(text)).toBe(expected);
    expect(quoteJsonString(text)).toBe(JSON.stringify(text));
  });

  // Any UTF-16 code units (lone surrogates included) and strings biased to the edges of the fast
  // path: U+001F/U+0020, U+007E/U+007F, `"` and `\`.
  const edgeUnit = fc.constantFrom(0x1f, 0x20, 0x21, 0x22, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x80);
  const edgeString = fc
    .array(edgeUnit, { maxLength: 12 })
    .map((codes) => String.fromCharCode(...codes));
  test.prop([fc.oneof(fc.string({ unit: 'binary', maxLength: 24 }), fc.string(), edgeString)], {
    numRuns: 2_000,
  })('equals JSON.stringify on every string', (text) => {
    expect(quoteJsonString(text)).toBe(JSON.stringify(text));
  });
});
