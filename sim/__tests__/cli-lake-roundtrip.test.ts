import { describe, expect, it } from 'vitest';
import { S3Adapter } from '../../src/adapter/s3-adapter';
import type { LakeAdapter, ObjectInfo } from '../../src/adapter/types';
import { makeDelta } from '../../src/delta/delta-id';
import { encodeEnvelope } from '../../src/gateway/envelope';
import { HLC } from '../../src/hlc/hlc';
import { AdapterError } from '../../src/result/errors';
import { Err, Ok, type Result } from '../../src/result/result';
import { startEmbeddedS3 } from '../lake/embedded-s3';
import { foldLake, roundTripLake, roundTripPrefix } from '../lake/roundtrip';

/** A map-backed store; `tamper` rewrites what reads return, to play a faulty server. */
class FakeStore implements LakeAdapter {
  readonly objects = new Map<string, Uint8Array>();
  constructor(
    private readonly tamper: (key: string, bytes: Uint8Array) => Uint8Array | null = (_, b) => b,
    private readonly refusePuts = false,
  ) {}
  async putObject(path: string, data: Uint8Array): Promise<Result<void, AdapterError>> {
    if (this.refusePuts) return Err(new AdapterError('connection refused'));
    this.objects.set(path, data.slice());
    return Ok(undefined);
  }
  async getObject(path: string): Promise<Result<Uint8Array, AdapterError>> {
    const stored = this.objects.get(path);
    const served = stored === undefined ? null : this.tamper(path, stored);
    return served === null ? Err(new AdapterError(`no such key ${path}`)) : Ok(served);
  }
  async headObject(
    path: string,
  ): Promise<Result<{ size: number; lastModified: Date }, AdapterError>> {
    const stored = this.objects.get(path);
    return stored === undefined
      ? Err(new AdapterError('missing'))
      : Ok({ size: stored.byteLength, lastModified: new Date(0) });
  }
  async listObjects(prefix: string): Promise<Result<ObjectInfo[], AdapterError>> {
    const keys = [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    return Ok(
      keys.map((key) => ({
        key,
        size: this.objects.get(key)?.byteLength ?? 0,
        lastModified: new Date(0),
      })),
    );
  }
  async deleteObject(path: string): Promise<Result<void, AdapterError>> {
    this.objects.delete(path);
    return Ok(undefined);
  }
  async deleteObjects(paths: string[]): Promise<Result<void, AdapterError>> {
    for (const path of paths) this.objects.delete(path);
    return Ok(undefined);
  }
}

function envelopeBytes(wall: number, values: readonly [string, string, unknown][]): Uint8Array {
  const deltas = values.map(([clientId, rowId, value], index) =>
    makeDelta({
      op: value === null ? 'DELETE' : 'UPDATE',
      table: 'todos',
      rowId,
      clientId,
      hlc: HLC.encode(wall, index),
      columns: value === null ? [] : [{ column: 'title', value }],
    }),
  );
  return encodeEnvelope({
    version: 1,
    gatewayId: 'gw',
    createdAt: '2024-01-01T00:00:00.000Z',
    hlcRange: { min: HLC.encode(wall, 0), max: HLC.encode(wall, values.length) },
    deltaCount: deltas.length,
    byteSize: 0,
    deltas,
  });
}

function sampleLake(): Map<string, Uint8Array> {
  return new Map([
    [
      'deltas/2024-01-01/gw/1-2.json',
      envelopeBytes(1_000, [
        ['a', 'r1', 'x'],
        ['b', 'r2', 'y'],
      ]),
    ],
    [
      'deltas/2024-01-01/gw/3-4.json',
      envelopeBytes(2_000, [
        ['b', 'r1', 'z'],
        ['a', 'r2', null],
      ]),
    ],
  ]);
}

const prefix = roundTripPrefix(7, '0123456789abcdef0123');

describe('roundTripLake', () => {
  it('passes when the store gives back exactly what was written', async () => {
    const store = new FakeStore();
    const report = await roundTripLake(sampleLake(), store, { prefix, atMs: 90_000 });
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.value.violation).toBeNull();
    expect(report.value.objects).toBe(2);
    expect(report.value.rows).toBe(2);
    expect(
      [...store.objects.keys()].every((key) => key.startsWith('lakesync-sim/7/0123456789abcdef/')),
    ).toBe(true);
  });

  it('reports a lake-roundtrip violation when bytes come back changed', async () => {
    const store = new FakeStore((key, bytes) =>
      key.endsWith('3-4.json') ? bytes.slice(0, -1) : bytes,
    );
    const report = await roundTripLake(sampleLake(), store, { prefix, atMs: 90_000 });
    expect(report.ok && report.value.violation).toMatchObject({
      oracle: 'lake-roundtrip',
      atMs: 90_000,
      message: expect.stringContaining('3-4.json differs'),
    });
  });

  it('reports an object the store invented', async () => {
    const store = new FakeStore();
    await store.putObject(`${prefix}deltas/extra.json`, new Uint8Array([1]));
    const report = await roundTripLake(sampleLake(), store, { prefix, atMs: 0 });
    expect(report.ok && report.value.violation?.message).toContain('read back but never written');
  });

  it('is an Err, not a violation, when the store refuses writes', async () => {
    const report = await roundTripLake(sampleLake(), new FakeStore(undefined, true), {
      prefix,
      atMs: 0,
    });
    expect(report.ok).toBe(false);
    if (!report.ok) expect(report.error.message).toContain('connection refused');
  });
});

describe('foldLake', () => {
  it('folds envelopes in key order into row states, deletes included', () => {
    const folded = foldLake(sampleLake());
    expect(folded.ok).toBe(true);
    if (!folded.ok) return;
    const r1 = [...folded.value.values()].find((state) => state.rowId === 'r1');
    const r2 = [...folded.value.values()].find((state) => state.rowId === 'r2');
    expect(r1?.columns.get('title')?.value).toBe('z');
    expect(r2?.columns.size).toBe(0);
    expect(r2?.tombstone?.clientId).toBe('a');
  });

  it('names an envelope that does not decode', () => {
    const folded = foldLake(new Map([['deltas/bad.json', new Uint8Array([123])]]));
    expect(folded.ok).toBe(false);
    if (!folded.ok) expect(folded.error).toContain('deltas/bad.json');
  });
});

describe('roundTripLake against the embedded S3 server', () => {
  it('writes, lists, reads back and folds the same lake', async () => {
    const started = await startEmbeddedS3();
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    try {
      const adapter = new S3Adapter(started.value.config);
      const report = await roundTripLake(sampleLake(), adapter, { prefix, atMs: 1 });
      expect(report).toMatchObject({ ok: true, value: { objects: 2, rows: 2, violation: null } });
      const listed = await adapter.listObjects(prefix);
      expect(listed.ok && listed.value.map((info) => info.key.slice(prefix.length))).toEqual([
        'deltas/2024-01-01/gw/1-2.json',
        'deltas/2024-01-01/gw/3-4.json',
      ]);
    } finally {
      await started.value.stop();
    }
  });
});
