import { describe, expect, it } from 'vitest';
import { pushedDeltaShapeProblem } from '../../gateway/push-verify';
import { SchemaError } from '../../result/errors';
import { makeDelta } from '../delta-id';
import { extractDelta } from '../extract';
import { validateDelta } from '../validate';
import { hasLoneSurrogate } from '../well-formed';
import { CONTEXT } from './fixtures';

/**
 * Identifiers travel as raw strings: a lone surrogate would reach the gateway as U+FFFD, under a
 * `deltaId` that no longer matches. Such writes are refused where they are made, with a clear
 * `SchemaError`, instead of being acknowledged and then dropped as forged.
 */
describe('lone surrogates in identifiers', () => {
  it('tells lone surrogates from pairs', () => {
    expect(hasLoneSurrogate('plain')).toBe(false);
    expect(hasLoneSurrogate('emoji 🚀 ok')).toBe(false);
    expect(hasLoneSurrogate('row-\ud800')).toBe(true);
    expect(hasLoneSurrogate('\udc00row')).toBe(true);
    expect(hasLoneSurrogate('a\ud800b')).toBe(true);
    expect(hasLoneSurrogate('\ud83d\ude80\ud800')).toBe(true);
  });

  it.each([
    ['row id', { ...CONTEXT, rowId: 'row-\ud800' }, {}, 'rowId'],
    ['client id', { ...CONTEXT, clientId: 'client-\udfff' }, {}, 'clientId'],
    ['column name', CONTEXT, { 'ti\ud800tle': 'x' }, 'column'],
  ])('extractDelta refuses a lone surrogate in the %s', (_name, context, extra, what) => {
    const result = extractDelta(null, { title: 'ok', ...extra }, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(SchemaError);
    expect(result.error.message).toContain('lone UTF-16 surrogate');
    expect(result.error.message.toLowerCase()).toContain(what.toLowerCase());
  });

  it('keeps well-formed identifiers with astral characters', () => {
    const result = extractDelta(null, { '🚀': 1 }, { ...CONTEXT, rowId: 'row-🚀' });
    expect(result.ok).toBe(true);
  });

  it('the gateway refuses such a delta before it acknowledges the push', () => {
    const delta = makeDelta({
      op: 'INSERT',
      table: 'todos',
      rowId: 'row-\ud800',
      clientId: 'client-a',
      columns: [{ column: 'title', value: 'x' }],
      hlc: CONTEXT.hlc,
    });
    expect(validateDelta(delta).ok).toBe(false);
    expect(pushedDeltaShapeProblem(delta)).not.toBeNull();
    const honest = makeDelta({ ...delta, rowId: 'row-🚀' });
    expect(pushedDeltaShapeProblem(honest)).toBeNull();
  });
});
