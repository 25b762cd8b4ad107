import { describe, expect, it } from 'vitest';
import type { Clock } from '../../ports/clock';
import { AdapterError } from '../../result/errors';
import { unwrapOrThrow } from '../../result/result';
import { MemoryAdapter } from '../memory-adapter';

/** A clock the test moves by hand. */
function manualClock(startMs: number): Clock & { advance(ms: number): void } {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance(ms: number) {
      nowMs += ms;
    },
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('MemoryAdapter', () => {
  it('round-trips bytes and overwrites on a second put', async () => {
    const lake = new MemoryAdapter({ clock: manualClock(0) });
    unwrapOrThrow(await lake.putObject('a.json', bytes('one')));
    unwrapOrThrow(await lake.putObject('a.json', bytes('two!')));
    expect(unwrapOrThrow(await lake.getObject('a.json'))).toEqual(bytes('two!'));
  });

  it('stamps lastModified from the injected clock at put time', async () => {
    const clock = manualClock(1_764_000_000_000);
    const lake = new MemoryAdapter({ clock });
    unwrapOrThrow(await lake.putObject('a', bytes('x')));
    clock.advance(5_000);
    unwrapOrThrow(await lake.putObject('b', bytes('xyz')));
    expect(unwrapOrThrow(await lake.headObject('a'))).toEqual({
      size: 1,
      lastModified: new Date(1_764_000_000_000),
    });
    const listed = unwrapOrThrow(await lake.listObjects(''));
    expect(listed.map((object) => object.lastModified.getTime())).toEqual([
      1_764_000_000_000, 1_764_000_005_000,
    ]);
  });

  it('copies bytes in: mutating the caller’s buffer after a put changes nothing', async () => {
    const lake = new MemoryAdapter({ clock: manualClock(0) });
    const data = bytes('abc');
    unwrapOrThrow(await lake.putObject('k', data));
    data[0] = 0x7a;
    expect(unwrapOrThrow(await lake.getObject('k'))).toEqual(bytes('abc'));
  });

  it('copies bytes out: mutating what get returned changes nothing', async () => {
    const lake = new MemoryAdapter({ clock: manualClock(0) });
    unwrapOrThrow(await lake.putObject('k', bytes('abc')));
    const first = unwrapOrThrow(await lake.getObject('k'));
    first[0] = 0x7a;
    expect(unwrapOrThrow(await lake.getObject('k'))).toEqual(bytes('abc'));
  });

  it('reports a missing key on get and head as an AdapterError saying not found', async () => {
    const lake = new MemoryAdapter({ clock: manualClock(0) });
    for (const result of [await lake.getObject('nope'), await lake.headObject('nope')]) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error).toBeInstanceOf(AdapterError);
      expect(result.error.message).toMatch(/nope: not found/);
    }
  });

  it('lists only keys under the prefix, sorted by key, whatever the insertion order', async () => {
    const lake = new MemoryAdapter({ clock: manualClock(0) });
    for (const key of ['deltas/b', 'other/a', 'deltas/a/2', 'deltas/a/10', 'deltas-x']) {
      unwrapOrThrow(await lake.putObject(key, bytes(key)));
    }
    const listed = unwrapOrThrow(await lake.listObjects('deltas/'));
    expect(listed.map((object) => object.key)).toEqual(['deltas/a/10', 'deltas/a/2', 'deltas/b']);
    expect(listed.map((object) => object.size)).toEqual([11, 10, 8]);
  });

  it('deletes one or many keys; missing keys are fine', async () => {
    const lake = new MemoryAdapter({ clock: manualClock(0) });
    for (const key of ['a', 'b', 'c', 'd']) unwrapOrThrow(await lake.putObject(key, bytes(key)));
    unwrapOrThrow(await lake.deleteObject('a'));
    unwrapOrThrow(await lake.deleteObject('a'));
    unwrapOrThrow(await lake.deleteObjects(['b', 'c', 'zzz']));
    const left = unwrapOrThrow(await lake.listObjects(''));
    expect(left.map((object) => object.key)).toEqual(['d']);
  });

  it('refuses empty keys as S3 does, and deletes the valid keys of a batch anyway', async () => {
    const lake = new MemoryAdapter({ clock: manualClock(0) });
    expect((await lake.putObject('', bytes('x'))).ok).toBe(false);
    unwrapOrThrow(await lake.putObject('a', bytes('x')));
    const result = await lake.deleteObjects(['a', '']);
    expect(!result.ok && result.error.message).toMatch(/1 of 2 keys are empty/);
    expect(unwrapOrThrow(await lake.listObjects(''))).toEqual([]);
  });

  it('is deterministic: the same operations give the same listing', async () => {
    const run = async () => {
      const lake = new MemoryAdapter({ clock: manualClock(42) });
      for (const key of ['z', 'm', 'a']) unwrapOrThrow(await lake.putObject(key, bytes(key)));
      return unwrapOrThrow(await lake.listObjects(''));
    };
    expect(await run()).toEqual(await run());
  });
});
