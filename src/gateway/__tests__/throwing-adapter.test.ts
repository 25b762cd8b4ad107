import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardAdapter } from '../../adapter/guarded-adapter';
import { MemoryAdapter } from '../../adapter/memory-adapter';
import type { LakeAdapter } from '../../adapter/types';
import { ManualClock } from '../../ports/manual';
import { AdapterError, FlushError } from '../../result/errors';
import { Ok, type Result, unwrapOrThrow } from '../../result/result';
import { ENVELOPE_PREFIX } from '../envelope';
import { SyncGateway } from '../gateway';
import { deltaWriter, gatewayWorld, pushOf } from './fixtures';

/**
 * A user-supplied `LakeAdapter` may break its contract: throw, reject, or resolve to something
 * that is not a `Result`. The gateway must treat each as a failed request: a flush that fails is
 * counted and retried with backoff on the injected timers, a recovery that fails is an `Err`, and
 * nothing ever becomes an unhandled rejection.
 */

type Misbehaviour = 'throw' | 'reject' | 'garbage' | 'reject-non-error';

/** Delegates to an in-memory lake, except that the next calls named in `plan` misbehave. */
class MisbehavingAdapter implements LakeAdapter {
  readonly inner: LakeAdapter;
  readonly plan: Partial<Record<keyof LakeAdapter, Misbehaviour[]>> = {};
  calls = 0;

  constructor(inner: LakeAdapter) {
    this.inner = inner;
  }

  #misbehave<T>(method: keyof LakeAdapter, call: () => Promise<T>): Promise<T> {
    this.calls++;
    const next = this.plan[method]?.shift();
    switch (next) {
      case 'throw':
        throw new Error(`${method} exploded`);
      case 'reject':
        return Promise.reject(new Error(`${method} rejected`));
      case 'reject-non-error':
        return Promise.reject(`${method} rejected with a string`);
      case 'garbage':
        return Promise.resolve(undefined as T);
      default:
        return call();
    }
  }

  putObject(path: string, data: Uint8Array, contentType?: string) {
    return this.#misbehave('putObject', () => this.inner.putObject(path, data, contentType));
  }
  getObject(path: string) {
    return this.#misbehave('getObject', () => this.inner.getObject(path));
  }
  headObject(path: string) {
    return this.#misbehave('headObject', () => this.inner.headObject(path));
  }
  listObjects(prefix: string) {
    return this.#misbehave('listObjects', () => this.inner.listObjects(prefix));
  }
  deleteObject(path: string) {
    return this.#misbehave('deleteObject', () => this.inner.deleteObject(path));
  }
  deleteObjects(paths: string[]) {
    return this.#misbehave('deleteObjects', () => this.inner.deleteObjects(paths));
  }
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  // Give any stray rejection a chance to surface before checking.
  await new Promise<void>((resolve) => setImmediate(resolve));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

async function envelopeCount(lake: MemoryAdapter): Promise<number> {
  return unwrapOrThrow(await lake.listObjects(ENVELOPE_PREFIX)).length;
}

describe('a LakeAdapter that throws or rejects', () => {
  it('turns each misbehaviour into a failed flush, retried with doubling backoff', async () => {
    const clock = new ManualClock();
    const memory = new MemoryAdapter({ clock });
    const adapter = new MisbehavingAdapter(memory);
    const { gateway, timers } = await gatewayWorld(
      { flushAgeMs: 1_000, retryDelayMsMin: 100, retryDelayMsMax: 10_000 },
      adapter,
    );
    adapter.plan.putObject = ['throw', 'reject', 'garbage', 'reject-non-error'];
    const write = deltaWriter('alice', clock);
    unwrapOrThrow(gateway.handlePush(pushOf([write('INSERT', 'r1', { title: 'milk' })])));

    await timers.advance(1_000); // the age timer fires: attempt 1 throws
    expect(gateway.stats().flushesFailed).toBe(1);
    expect(gateway.stats().flushesOk).toBe(0);
    await timers.advance(99);
    expect(gateway.stats().flushesFailed).toBe(1); // the first retry waits the full 100 ms
    await timers.advance(1); // attempt 2 rejects
    expect(gateway.stats().flushesFailed).toBe(2);
    await timers.advance(199);
    expect(gateway.stats().flushesFailed).toBe(2); // then 200 ms
    await timers.advance(1); // attempt 3 resolves to undefined
    expect(gateway.stats().flushesFailed).toBe(3);
    await timers.advance(400); // attempt 4 rejects with a string
    expect(gateway.stats().flushesFailed).toBe(4);
    expect(await envelopeCount(memory)).toBe(0);
    expect(gateway.stats().unflushedDeltas).toBe(1);

    await timers.advance(800); // attempt 5 lands
    expect(gateway.stats().flushesOk).toBe(1);
    expect(gateway.stats().flushesFailed).toBe(4);
    expect(gateway.stats().unflushedDeltas).toBe(0);
    expect(await envelopeCount(memory)).toBe(1);
  });

  it('gives an explicit flush an Err(FlushError) naming the misbehaviour, never a rejection', async () => {
    const clock = new ManualClock();
    const adapter = new MisbehavingAdapter(new MemoryAdapter({ clock }));
    const { gateway } = await gatewayWorld({ flushAgeMs: 60_000 }, adapter);
    unwrapOrThrow(
      gateway.handlePush(pushOf([deltaWriter('bob', clock)('INSERT', 'r1', { a: 1 })])),
    );
    adapter.plan.putObject = ['throw', 'garbage'];

    const thrown = await gateway.flush();
    expect(thrown.ok).toBe(false);
    if (!thrown.ok) {
      expect(thrown.error).toBeInstanceOf(FlushError);
      expect(thrown.error.code).toBe('FLUSH_FAILED');
      expect(thrown.error.message).toContain('adapter putObject(');
      expect(thrown.error.message).toContain('threw: putObject exploded');
      expect(thrown.error.cause).toBeInstanceOf(AdapterError);
    }
    const garbage = await gateway.flush();
    expect(!garbage.ok && garbage.error.message).toContain('resolved to undefined, not a Result');
    const landed = await gateway.flush();
    expect(landed.ok && landed.value.deltaCount).toBe(1);
    gateway.close();
  });

  it('fails recovery with an Err when listing or reading throws or rejects', async () => {
    const clock = new ManualClock();
    const memory = new MemoryAdapter({ clock });
    // Put one envelope in the lake with a well-behaved gateway first.
    const first = await gatewayWorld({}, memory);
    unwrapOrThrow(
      first.gateway.handlePush(pushOf([deltaWriter('carol', clock)('INSERT', 'r1', { a: 1 })])),
    );
    unwrapOrThrow(await first.gateway.flush());
    first.gateway.close();

    const adapter = new MisbehavingAdapter(memory);
    const open = () =>
      SyncGateway.open({ gatewayId: 'gw-1', clock, timers: first.timers, adapter });

    adapter.plan.listObjects = ['throw'];
    const listThrew = await open();
    expect(listThrew.ok).toBe(false);
    if (!listThrew.ok) {
      expect(listThrew.error).toBeInstanceOf(AdapterError);
      expect(listThrew.error.message).toContain('listObjects');
      expect(listThrew.error.message).toContain('listObjects exploded');
    }

    adapter.plan.getObject = ['reject', 'throw', 'reject-non-error'];
    const readsFailed = await open();
    expect(readsFailed.ok).toBe(false);
    if (!readsFailed.ok) {
      expect(readsFailed.error).toBeInstanceOf(AdapterError);
      expect(readsFailed.error.message).toContain('after 3 attempts');
    }

    adapter.plan.getObject = ['throw', 'garbage']; // two bad attempts, then a good one
    const recovered = await open();
    expect(recovered.ok && recovered.value.stats().recoveredDeltas).toBe(1);
  });

  it('guardAdapter passes a well-behaved adapter through unchanged and wraps only once', async () => {
    const clock = new ManualClock();
    const memory = new MemoryAdapter({ clock });
    const guarded = guardAdapter(memory);
    expect(guardAdapter(guarded)).toBe(guarded);
    const put: Result<void, AdapterError> = await guarded.putObject('a/b', new Uint8Array([1]));
    expect(put).toEqual(Ok(undefined));
    expect(unwrapOrThrow(await guarded.getObject('a/b'))).toEqual(new Uint8Array([1]));
    const missing = await guarded.getObject('nope');
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error).toBeInstanceOf(AdapterError);
  });
});
