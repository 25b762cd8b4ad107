import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { asciiBytes, Trace } from '../engine/trace';

/** The digest a trace must give: SHA-256 of each line's UTF-8, `' '` and bytes, then `'\n'`. */
function expectedDigest(pieces: ReadonlyArray<string | readonly [string, Uint8Array]>): string {
  const hash = createHash('sha256');
  for (const piece of pieces) {
    if (typeof piece === 'string') hash.update(`${piece}\n`);
    else {
      hash.update(`${piece[0]} `);
      hash.update(piece[1]);
      hash.update('\n');
    }
  }
  return hash.digest('hex');
}

function traceOf(pieces: ReadonlyArray<string | readonly [string, Uint8Array]>): Trace {
  const trace = new Trace();
  for (const piece of pieces) {
    if (typeof piece === 'string') trace.record(piece);
    else trace.recordBytes(piece[0], piece[1]);
  }
  return trace;
}

const bytes = (length: number, seed: number): Uint8Array =>
  Uint8Array.from({ length }, (_, index) => (index * 31 + seed) & 0xff);

describe('Trace', () => {
  it('hashes lines and bytes as one stream, whatever their sizes', () => {
    const pieces: Array<string | readonly [string, Uint8Array]> = [];
    for (let index = 0; index < 3_000; index++) {
      pieces.push(`${index} deliver client-${index % 20} pull`);
      pieces.push([`${index} reply client-${index % 20} pull`, bytes(index % 97, index)]);
    }
    pieces.push(['large object', bytes(100_000, 7)]);
    pieces.push('x'.repeat(20_000));
    pieces.push(['', new Uint8Array(0)]);
    pieces.push('');
    const trace = traceOf(pieces);
    expect(trace.lines).toBe(pieces.length);
    expect(trace.digest()).toBe(expectedDigest(pieces));
  });

  it('encodes text as Hash.update does, non-ASCII and lone surrogates included', () => {
    const pieces = [
      'fault partition client-1 émigré 日本 🚀',
      ['ünïcødé', bytes(10, 1)] as const,
      'lone \ud800 surrogate',
      'a\udc00',
      '🚀 first',
    ];
    expect(traceOf(pieces).digest()).toBe(expectedDigest(pieces));
  });
});

describe('Trace.recordTimedBytes', () => {
  const lineArb = fc.record({
    timeMs: fc.oneof(
      fc.nat({ max: 300_000 }),
      fc.constantFrom(0, 9, 10, 99, 100, Number.MAX_SAFE_INTEGER),
      fc.constantFrom(-1, 0.5, Number.MAX_SAFE_INTEGER + 1, 1e21),
    ),
    head: fc.string({
      unit: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
      maxLength: 40,
    }),
    bytes: fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.constant(new Uint8Array(20_000))),
    timed: fc.boolean(),
  });

  test.prop([fc.array(lineArb, { maxLength: 400 })], { numRuns: 200 })(
    'hashes what recordBytes hashes for the time followed by the head, across flushes',
    (lines) => {
      const timed = new Trace();
      const plain = new Trace();
      for (const { timeMs, head, bytes, timed: useTimed } of lines) {
        if (useTimed) timed.recordTimedBytes(timeMs, asciiBytes(head), bytes);
        else timed.recordBytes(`${timeMs}${head}`, bytes);
        plain.recordBytes(`${timeMs}${head}`, bytes);
      }
      expect(timed.lines).toBe(plain.lines);
      expect(timed.digest()).toBe(plain.digest());
    },
  );

  it('refuses a head that is not ASCII', () => {
    expect(() => asciiBytes(' reply émigré')).toThrow();
  });
});
