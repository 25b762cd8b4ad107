import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Trace } from '../engine/trace';

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
