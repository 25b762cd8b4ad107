import { describe, expect, it } from 'vitest';
import type { LakeAdapter, ObjectInfo } from '../../src/adapter/types';
import { AdapterError } from '../../src/result/errors';
import { Err, Ok } from '../../src/result/result';
import { createPrng } from '../engine/prng';
import { Scheduler } from '../engine/scheduler';
import { Trace } from '../engine/trace';
import { faultProfile } from '../faults/profiles';
import type { FaultRates } from '../types';
import type { FaultKind } from '../world/fault-sink';
import { SimStorage } from '../world/storage';

/** A minimal in-memory store for these tests (the run uses the core's `MemoryAdapter`). */
function mapStore(): LakeAdapter & { objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>();
  const epoch = new Date(0);
  return {
    objects,
    putObject: async (path, data) => {
      objects.set(path, data);
      return Ok(undefined);
    },
    getObject: async (path) => {
      const data = objects.get(path);
      return data === undefined ? Err(new AdapterError(`no ${path}`)) : Ok(data);
    },
    headObject: async (path) => {
      const data = objects.get(path);
      return data === undefined
        ? Err(new AdapterError(`no ${path}`))
        : Ok({ size: data.length, lastModified: epoch });
    },
    listObjects: async (prefix) => {
      const infos: ObjectInfo[] = [...objects.keys()]
        .filter((key) => key.startsWith(prefix))
        .sort()
        .map((key) => ({ key, size: objects.get(key)?.length ?? 0, lastModified: epoch }));
      return Ok(infos);
    },
    deleteObject: async (path) => {
      objects.delete(path);
      return Ok(undefined);
    },
    deleteObjects: async (paths) => {
      for (const path of paths) objects.delete(path);
      return Ok(undefined);
    },
  };
}

function setup(rates: Partial<FaultRates> = {}, seed = 1) {
  const scheduler = new Scheduler();
  const inner = mapStore();
  const faults: FaultKind[] = [];
  const storage = new SimStorage({
    scheduler,
    prng: createPrng(seed, 'storage'),
    trace: new Trace(),
    rates: {
      ...faultProfile('none'),
      storageLatencyMsMin: 100,
      storageLatencyMsMax: 100,
      ...rates,
    },
    inner,
    onFault: (kind) => faults.push(kind),
  });
  return { scheduler, inner, storage, faults };
}

describe('SimStorage', () => {
  it('lands a healthy put at half its latency and reports success at its end', async () => {
    const { scheduler, inner, storage } = setup();
    const session = storage.session();
    let result: unknown = null;
    void session.putObject('deltas/a.json', Uint8Array.of(1)).then((value) => {
      result = value;
    });
    await scheduler.runUntil(50);
    expect(inner.objects.has('deltas/a.json')).toBe(true);
    expect(result).toBeNull();
    await scheduler.runUntil(100);
    expect(result).toEqual({ ok: true, value: undefined });
  });

  it('fails a put without landing it', async () => {
    const { scheduler, inner, storage, faults } = setup({ storagePutFailProbability: 1 });
    let ok: boolean | null = null;
    void storage
      .session()
      .putObject('k', Uint8Array.of(1))
      .then((value) => {
        ok = value.ok;
      });
    await scheduler.runUntil(1_000);
    expect(ok).toBe(false);
    expect(inner.objects.size).toBe(0);
    expect(faults).toContain('storage-put-fail');
  });

  it('lands a put whose reply is lost, and reports failure', async () => {
    const { scheduler, inner, storage, faults } = setup({ storageLostReplyProbability: 1 });
    let ok: boolean | null = null;
    void storage
      .session()
      .putObject('k', Uint8Array.of(9))
      .then((value) => {
        ok = value.ok;
      });
    await scheduler.runUntil(1_000);
    expect(ok).toBe(false);
    expect([...(inner.objects.get('k') ?? [])]).toEqual([9]);
    expect(faults).toEqual(['storage-lost-reply']);
  });

  it('drops unlanded puts of a killed session and never answers it; landed ones stay', async () => {
    const { scheduler, inner, storage } = setup(
      { storageLatencyMsMin: 10, storageLatencyMsMax: 400 },
      5,
    );
    const session = storage.session();
    const answers: string[] = [];
    for (let index = 0; index < 40; index++) {
      void session
        .putObject(`k${index}`, Uint8Array.of(index))
        .then(() => answers.push(`k${index}`));
    }
    await scheduler.runUntil(100);
    const landedBeforeCrash = inner.objects.size;
    const answeredBeforeCrash = answers.length;
    session.kill();
    await scheduler.runUntil(10_000);
    expect(landedBeforeCrash).toBeGreaterThan(0);
    expect(landedBeforeCrash).toBeLessThan(40);
    expect(inner.objects.size).toBe(landedBeforeCrash);
    expect(answers.length).toBe(answeredBeforeCrash);
    expect(storage.counters.putsDroppedByCrash).toBe(40 - landedBeforeCrash);
  });

  it('fails puts and lost replies at the configured rates, and none once faults stop', async () => {
    const { scheduler, storage } = setup(
      { storagePutFailProbability: 0.25, storageLostReplyProbability: 0.1 },
      8,
    );
    const session = storage.session();
    const count = 4_000;
    for (let index = 0; index < count; index++)
      void session.putObject(`k${index}`, Uint8Array.of(1));
    await scheduler.runUntil(10_000);
    const { putsFailed, putsLostReply } = storage.counters;
    expect(Math.abs(putsFailed / count - 0.25)).toBeLessThan(0.03);
    expect(Math.abs(putsLostReply / (count - putsFailed) - 0.1)).toBeLessThan(0.02);
    storage.faultsActive = false;
    for (let index = 0; index < 500; index++) void session.putObject(`z${index}`, Uint8Array.of(1));
    await scheduler.runUntil(20_000);
    expect(storage.counters.putsFailed).toBe(putsFailed);
    expect(storage.counters.putsLostReply).toBe(putsLostReply);
  });

  it('reads at the end of its latency (seeing puts landed meanwhile) and reports slow storage', async () => {
    const { scheduler, inner, storage, faults } = setup({
      storageLatencyMsMin: 1_500,
      storageLatencyMsMax: 1_500,
    });
    inner.objects.set('deltas/x', Uint8Array.of(4));
    const session = storage.session();
    let listed: string[] = [];
    void session.listObjects('deltas/').then((result) => {
      if (result.ok) listed = result.value.map((info) => info.key);
    });
    void session.putObject('deltas/y', Uint8Array.of(5));
    await scheduler.runUntil(1_499);
    expect(listed).toEqual([]);
    await scheduler.runUntil(1_500);
    expect(listed).toEqual(['deltas/x', 'deltas/y']); // the put landed at 750 ms
    expect(faults).toEqual(['slow-storage']);
  });
});
