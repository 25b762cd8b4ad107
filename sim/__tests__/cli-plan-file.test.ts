import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlan, readPlanFile, serialisePlan, writePlanFile } from '../cli/plan-file';
import { FAULT_RATE_KEYS } from '../shrink/fault-rate-keys';
import type { FaultRates, Plan } from '../types';

const RATES = Object.fromEntries(FAULT_RATE_KEYS.map((key) => [key, 1])) as unknown as FaultRates;

function plan(): Plan {
  return {
    version: 1,
    seed: 5,
    config: {
      seed: 5,
      clients: 2,
      tables: ['todos'],
      rowsPerTable: 4,
      hotRows: 1,
      durationMs: 1_000,
      healMs: 1_000,
      writesPerClientPerSecond: 1,
      faultProfile: 'calm',
      faults: RATES,
    },
    events: [
      {
        kind: 'write',
        atMs: 0,
        client: 1,
        op: 'insert',
        table: 'todos',
        rowId: 'r',
        values: { a: 1 },
      },
      { kind: 'partition', atMs: 10, durationMs: 5, clients: [0, 1], direction: 'to-gateway' },
      { kind: 'offline', atMs: 10, durationMs: 5, client: 0 },
      { kind: 'clock-skew', atMs: 20, client: 0, skewMs: -5, driftPpm: 3 },
      { kind: 'clock-jump', atMs: 30, client: 1, jumpMs: -100 },
      { kind: 'gateway-restart', atMs: 40, downMs: 10 },
      { kind: 'client-restart', atMs: 50, client: 0, downMs: 10 },
      { kind: 'second-loop', atMs: 55, client: 1, durationMs: 10 },
      { kind: 'reincarnation', atMs: 60, client: 1, downMs: 10, clockBackMs: 60_000, offlineMs: 5 },
      {
        kind: 'backup-restore',
        atMs: 70,
        client: 0,
        restoreAfterMs: 100,
        downMs: 10,
        offlineMs: 0,
      },
    ],
  };
}

interface PlanJson {
  version: unknown;
  seed: unknown;
  config: Record<string, unknown> & { faults: Record<string, unknown> };
  events: Record<string, unknown>[];
}

/** A copy of the sample plan with `edit` applied to its JSON form. */
function edited(edit: (json: PlanJson) => void): unknown {
  const json = JSON.parse(serialisePlan(plan())) as PlanJson;
  edit(json);
  return json;
}

const dir = mkdtempSync(join(tmpdir(), 'lakesync-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plan files', () => {
  it('round-trips every event kind through a file', () => {
    const path = join(dir, 'nested', '5-min.json');
    expect(writePlanFile(path, plan()).ok).toBe(true);
    expect(readPlanFile(path)).toEqual({ ok: true, value: plan() });
  });

  const malformed: [string, (json: PlanJson) => void, string][] = [
    ['a version other than 1', (json: PlanJson) => (json.version = 2), 'unsupported version'],
    ['a negative seed', (json: PlanJson) => (json.seed = -1), 'seed must be'],
    ['a config seed that differs', (json: PlanJson) => (json.config.seed = 6), 'config.seed'],
    ['zero clients', (json: PlanJson) => (json.config.clients = 0), 'clients must be'],
    [
      'a missing fault rate',
      (json: PlanJson) => delete json.config.faults.dropProbability,
      'faults.dropProbability',
    ],
    ['an unknown profile', (json: PlanJson) => (json.config.faultProfile = 'loud'), 'faultProfile'],
    [
      'a client out of range',
      (json: PlanJson) => (json.events[0]!.client = 2),
      'events[0]: client',
    ],
    [
      'an unknown event kind',
      (json: PlanJson) => (json.events[3]!.kind = 'meteor'),
      'events[3]: unknown event kind',
    ],
    [
      'unsorted events',
      (json: PlanJson) => (json.events[6]!.atMs = 1),
      'events[6]: events must be sorted',
    ],
    [
      'a partition of a missing client',
      (json: PlanJson) => (json.events[1]!.clients = [0, 9]),
      'events[1]: clients',
    ],
    ['a bad write op', (json: PlanJson) => (json.events[0]!.op = 'upsert'), 'events[0]: op'],
    [
      'a restore with a fractional delay',
      (json: PlanJson) => (json.events[9]!.restoreAfterMs = 1.5),
      'events[9]: restoreAfterMs',
    ],
  ];

  it.each(malformed)('rejects %s', (_, edit, message) => {
    const result = parsePlan(edited(edit));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });

  it('names the file when it is not JSON', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"version": 1,');
    const result = readPlanFile(path);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(`plan ${path} is not JSON`);
  });
});
