import { describe, expect, it } from 'vitest';
import type { LakeAdapter } from '../../src/adapter/types';
import { SyncGateway } from '../../src/gateway/gateway';
import type { SyncPull } from '../../src/proto/types';
import { AdapterError } from '../../src/result/errors';
import { Err, Ok } from '../../src/result/result';
import { runPlan } from '../scenario/run-plan';
import type { Plan } from '../types';
import { generatePlan } from '../workload/generate-plan';
import { defaultSimConfig } from '../workload/sim-config';

/** A small scenario that still exercises every moving part. */
function smallPlan(seed: number, profile: Plan['config']['faultProfile'] = 'default'): Plan {
  return generatePlan(
    defaultSimConfig(seed, {
      faultProfile: profile,
      clients: 4,
      durationMs: 15_000,
      healMs: 45_000,
      writesPerClientPerSecond: 1,
    }),
  );
}

describe('runPlan', () => {
  it('converges with no faults and satisfies every oracle', async () => {
    const result = await runPlan(smallPlan(1, 'none'));
    expect(result.violations).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.stats.ops).toBeGreaterThan(20);
    expect(result.stats.lakeObjects).toBeGreaterThan(0);
    expect(result.stats.virtualMs).toBe(60_000);
    expect(result.stats.messagesDropped).toBe(0);
    expect(result.coverage.drop).toEqual({ fault: 0, heal: 0 });
  });

  it('converges under the default fault profile and counts the faults it injected', async () => {
    const result = await runPlan(smallPlan(2, 'default'));
    expect(result.violations).toEqual([]);
    const injected = Object.values(result.coverage).reduce((sum, entry) => sum + entry.fault, 0);
    expect(injected).toBeGreaterThan(0);
    for (const entry of Object.values(result.coverage)) {
      // drawn faults stop with the heal phase (slow storage is latency, not a drawn failure)
      expect(entry.heal === 0 || entry === result.coverage['slow-storage']).toBe(true);
    }
  });

  it('is deterministic: the same plan gives the same trace hash', async () => {
    const plan = smallPlan(3, 'chaos');
    const first = await runPlan(plan);
    const second = await runPlan(plan);
    expect(second.traceHash).toBe(first.traceHash);
    expect(second.stats.ops).toBe(first.stats.ops);
    expect([...second.lakeObjects.keys()]).toEqual([...first.lakeObjects.keys()]);
    const other = await runPlan(smallPlan(4, 'chaos'));
    expect(other.traceHash).not.toBe(first.traceHash);
  });

  it('keeps the timeline bounded and in time order', async () => {
    const result = await runPlan(smallPlan(5, 'chaos'));
    expect(result.timeline.length).toBeGreaterThan(0);
    expect(result.timeline.length).toBeLessThanOrEqual(5_000);
    for (let index = 1; index < result.timeline.length; index++) {
      expect(result.timeline[index]!.atMs).toBeGreaterThanOrEqual(result.timeline[index - 1]!.atMs);
    }
  });

  it('retries a gateway open that fails, and still converges', async () => {
    let attempts = 0;
    const result = await runPlan(smallPlan(12, 'none'), {
      gatewayFactory: (deps) => {
        attempts++;
        if (attempts <= 2) return Promise.resolve(Err(new AdapterError('store unreachable')));
        return SyncGateway.open(deps);
      },
    });
    expect(result.violations).toEqual([]);
    expect(attempts).toBe(3);
    const failures = result.timeline.filter((row) => row.kind === 'open-failed');
    expect(failures.map((row) => row.atMs)).toEqual([0, 1_000]);
  });

  it('reports progress in virtual time', async () => {
    const seen: number[] = [];
    await runPlan(smallPlan(6, 'none'), {
      onProgress: (virtualMs, totalMs) => seen.push(virtualMs / totalMs),
    });
    expect(seen.length).toBeGreaterThan(10);
    expect(seen[seen.length - 1]).toBeCloseTo(1, 5);
  });
});

describe('runPlan catches a sabotaged gateway', () => {
  it('durability: a lake that acknowledges a put it never stored', async () => {
    let puts = 0;
    const result = await runPlan(smallPlan(7, 'none'), {
      gatewayFactory: (deps) => {
        const adapter: LakeAdapter = {
          ...deps.adapter,
          putObject: (path, data, contentType) => {
            puts++;
            return puts === 2
              ? Promise.resolve(Ok(undefined))
              : deps.adapter.putObject(path, data, contentType);
          },
        };
        return SyncGateway.open({ ...deps, adapter });
      },
    });
    expect(result.ok).toBe(false);
    const oracles = new Set(result.violations.map((violation) => violation.oracle));
    expect(oracles.has('durability')).toBe(true);
    expect(
      result.violations.find((violation) => violation.oracle === 'durability')?.message,
    ).toMatch(/was acknowledged but is not in the lake/);
  });

  it('convergence: a gateway whose pulls hide one client’s writes', async () => {
    const result = await runPlan(smallPlan(8, 'none'), {
      gatewayFactory: async (deps) => {
        const opened = await SyncGateway.open(deps);
        if (!opened.ok) return opened;
        const gateway = opened.value;
        const handlePull = gateway.handlePull.bind(gateway);
        gateway.handlePull = (pull: SyncPull) => {
          const reply = handlePull(pull);
          if (!reply.ok || pull.clientId === 'client-0') return reply;
          return Ok({
            ...reply.value,
            deltas: reply.value.deltas.filter((delta) => delta.clientId !== 'client-0'),
          });
        };
        return opened;
      },
    });
    expect(result.ok).toBe(false);
    const convergence = result.violations.filter((violation) => violation.oracle === 'convergence');
    expect(convergence.length).toBeGreaterThan(0);
    expect(convergence[0]?.message).toMatch(/row \w+:r\d+/);
  });

  it('monotonicity: an exception escaping the gateway', async () => {
    const result = await runPlan(smallPlan(9, 'none'), {
      maxViolations: 3,
      gatewayFactory: async (deps) => {
        const opened = await SyncGateway.open(deps);
        if (opened.ok) {
          opened.value.handlePush = () => {
            throw new TypeError('sabotaged push');
          };
        }
        return opened;
      },
    });
    expect(result.violations).toHaveLength(3);
    expect(result.violations[0]?.oracle).toBe('monotonicity');
    expect(result.violations[0]?.message).toMatch(
      /exception escaped WireHandler.push for client-\d: TypeError: sabotaged push/,
    );
  });

  it('idempotency: a lake where every envelope lands twice under two keys', async () => {
    const result = await runPlan(smallPlan(10, 'none'), {
      gatewayFactory: (deps) => {
        const adapter: LakeAdapter = {
          ...deps.adapter,
          putObject: async (path, data, contentType) => {
            const first = await deps.adapter.putObject(path, data, contentType);
            if (first.ok)
              await deps.adapter.putObject(path.replace('.json', '-copy.json'), data, contentType);
            return first;
          },
        };
        return SyncGateway.open({ ...deps, adapter });
      },
    });
    const idempotency = result.violations.filter((violation) => violation.oracle === 'idempotency');
    expect(idempotency.length).toBeGreaterThan(0);
    expect(idempotency[0]?.message).toMatch(
      /is in the lake twice: in deltas\/\S+-copy\.json and in deltas\/\S+\.json/,
    );
  });

  it('liveness: a gateway whose flush timers never fire', async () => {
    const result = await runPlan(smallPlan(11, 'none'), {
      gatewayFactory: (deps) =>
        SyncGateway.open({
          ...deps,
          timers: {
            schedule: () => deps.timers.schedule(() => {}, 1e9),
            cancel: () => {},
          },
        }),
    });
    const oracles = result.violations.map((violation) => violation.oracle);
    // Root cause first (ADR-017): safety violations lead, "did not settle" comes last.
    expect(oracles[oracles.length - 1]).toBe('liveness');
    expect(oracles[0]).not.toBe('liveness');
    expect(result.violations.find((v) => v.oracle === 'liveness')?.message).toMatch(
      /did not settle within healMs=45000 ms; last seen at \d+ ms: /,
    );
    expect(oracles).toContain('durability');
    expect(result.stats.settledAfterHealMs).toBeNull();
  });
});
