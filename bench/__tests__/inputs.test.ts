import { describe, expect, it } from 'vitest';
import { deltaId } from '../../src/delta/delta-id';
import { validateDelta } from '../../src/delta/validate';
import { parseArgs } from '../lib/args';
import {
  DeltaStream,
  generateDeltas,
  lastWallMs,
  syntheticId,
  toPushes,
  workload,
} from '../lib/inputs';
import { selectSuites } from '../lib/run-suites';
import { generateIdFields, straightforwardDeltaId } from '../suites/delta-id';

const serialise = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));

describe('seeded inputs', () => {
  const shape = workload({ seed: 'test', count: 400, rowsPerTable: 10 });

  it('gives the same deltas for the same seed and different ones for another seed', () => {
    expect(serialise(generateDeltas(shape))).toBe(serialise(generateDeltas(shape)));
    expect(serialise(generateDeltas({ ...shape, seed: 'other' }))).not.toBe(
      serialise(generateDeltas(shape)),
    );
  });

  it('draws the same stream however it is split into batches', () => {
    const stream = new DeltaStream(shape);
    const batched = [...stream.next(150), ...stream.next(0), ...stream.next(250)];
    expect(stream.position).toBe(400);
    expect(serialise(batched)).toBe(serialise(generateDeltas(shape)));
  });

  it('makes valid deltas with strictly increasing HLCs, INSERT first per row', () => {
    const deltas = generateDeltas(shape);
    const seen = new Set<string>();
    for (const [position, delta] of deltas.entries()) {
      expect(validateDelta(delta).ok).toBe(true);
      if (position > 0) expect(delta.hlc > deltas[position - 1]!.hlc).toBe(true);
      const key = `${delta.table}:${delta.rowId}`;
      if (!seen.has(key)) expect(delta.op).toBe('INSERT');
      seen.add(key);
    }
    expect(deltas.some((delta) => delta.op === 'DELETE')).toBe(true);
  });

  it('uses distinct 64-character synthetic ids when asked', () => {
    const deltas = generateDeltas({ ...shape, ids: 'synthetic' });
    expect(new Set(deltas.map((delta) => delta.deltaId)).size).toBe(deltas.length);
    expect(syntheticId(255)).toMatch(/^0{62}ff$/);
  });

  it('states the last wall time the stream uses', () => {
    const deltas = generateDeltas(shape);
    const wall = Number(deltas[deltas.length - 1]!.hlc >> 16n);
    expect(wall).toBe(lastWallMs(shape));
  });

  it('groups pushes per client, oldest first, each with the HLC of the batch before', () => {
    const pushes = toPushes(generateDeltas(shape), 7);
    const lastOf = new Map<string, bigint>();
    for (const push of pushes) {
      expect(push.deltas.length).toBeLessThanOrEqual(7);
      expect(push.deltas.every((delta) => delta.clientId === push.clientId)).toBe(true);
      expect(push.baseHlc).toBe(lastOf.get(push.clientId) ?? 0n);
      lastOf.set(push.clientId, push.deltas[push.deltas.length - 1]!.hlc);
    }
    expect(pushes.reduce((sum, push) => sum + push.deltas.length, 0)).toBe(shape.count);
  });
});

describe('deltaId baseline', () => {
  it('agrees with deltaId on the seeded input set', () => {
    for (const fields of generateIdFields('test', 300)) {
      expect(straightforwardDeltaId(fields)).toBe(deltaId(fields));
    }
  });

  it('changes when a value changes (so the equality check can fail)', () => {
    const [fields] = generateIdFields('test', 1);
    const changed = { ...fields!, rowId: `${fields!.rowId}x` };
    expect(straightforwardDeltaId(changed)).not.toBe(straightforwardDeltaId(fields!));
  });
});

describe('parseArgs and suite selection', () => {
  it('reads every option', () => {
    expect(
      parseArgs(['--quick', '--no-bun', '--only', 'codec,merge', '--out', 'x', '--in-process']),
    ).toEqual({
      args: {
        quick: true,
        bun: false,
        child: false,
        jsonPath: null,
        outDir: 'x',
        only: ['codec', 'merge'],
        inProcess: true,
        runs: 1,
        help: false,
      },
    });
    expect(parseArgs([])).toHaveProperty('args.bun', true);
    expect(parseArgs([])).toHaveProperty('args.outDir', 'reports');
  });

  it('runs twice by default, once with --quick, and as often as --runs says', () => {
    expect(parseArgs([])).toHaveProperty('args.runs', 2);
    expect(parseArgs(['--quick'])).toHaveProperty('args.runs', 1);
    expect(parseArgs(['--runs', '3'])).toHaveProperty('args.runs', 3);
    expect(parseArgs(['--quick', '--runs', '2'])).toHaveProperty('args.runs', 2);
    for (const bad of ['0', '11', '1.5', 'two']) {
      expect(parseArgs(['--runs', bad])).toEqual({
        error: `--runs needs a whole number from 1 to 10, not "${bad}"`,
      });
    }
    expect(parseArgs(['--runs'])).toEqual({
      error: '--runs needs a whole number from 1 to 10, not null',
    });
  });

  it('never spawns Bun from the Bun child', () => {
    const parsed = parseArgs(['--child', '--json', 'f.json']);
    expect(parsed).toHaveProperty('args.bun', false);
    expect(parsed).toHaveProperty('args.jsonPath', 'f.json');
  });

  it('refuses unknown arguments and missing values', () => {
    expect(parseArgs(['--fast'])).toEqual({ error: 'unknown argument "--fast"' });
    expect(parseArgs(['--out'])).toEqual({ error: '--out needs a value' });
    expect(parseArgs(['--child'])).toEqual({ error: '--child needs --json FILE' });
  });

  it('selects suites by id and refuses unknown ones', () => {
    expect(selectSuites(['memory', 'codec']).map((entry) => entry.id)).toEqual(['codec', 'memory']);
    expect(selectSuites(null).length).toBeGreaterThanOrEqual(8);
    expect(() => selectSuites(['nope'])).toThrow(/unknown suite/);
  });
});
