import { describe, expect, it } from 'vitest';
import { SyncGateway } from '../../../src/gateway/gateway';
import { HLC } from '../../../src/hlc/hlc';
import type { SyncPull } from '../../../src/proto/types';
import { Ok } from '../../../src/result/result';
import { runPlan } from '../../scenario/run-plan';
import type { FaultProfileName, Plan } from '../../types';
import { generatePlan } from '../../workload/generate-plan';
import { defaultSimConfig } from '../../workload/sim-config';

/** A small scenario with every session oracle, cohorts and second loops in play. */
function smallPlan(seed: number, profile: FaultProfileName): Plan {
  return generatePlan(
    defaultSimConfig(seed, {
      faultProfile: profile,
      clients: 5,
      durationMs: 15_000,
      healMs: 45_000,
      writesPerClientPerSecond: 1,
    }),
  );
}

const SESSION_ORACLES = [
  'writes-follow-reads',
  'read-your-writes',
  'monotonic-reads',
  'outbox-claims',
  'redelivery',
];

describe('session oracles inside a run', () => {
  it('hold on the correct build under default and chaos, second loops and cohorts included', async () => {
    for (const [seed, profile] of [
      [1, 'default'],
      [2, 'chaos'],
    ] as const) {
      const plan = smallPlan(seed, profile);
      expect(plan.events.some((event) => event.kind === 'second-loop')).toBe(true);
      const result = await runPlan(plan);
      expect(result.violations.filter((v) => SESSION_ORACLES.includes(v.oracle))).toEqual([]);
      expect(result.coverage['second-loop']?.fault ?? 0).toBeGreaterThan(0);
    }
  });

  it('report a gateway that re-sends the last delta of the previous page (redelivery)', async () => {
    const result = await runPlan(smallPlan(3, 'none'), {
      gatewayFactory: async (deps) => {
        const opened = await SyncGateway.open(deps);
        if (!opened.ok) return opened;
        const gateway = opened.value;
        const handlePull = gateway.handlePull.bind(gateway);
        gateway.handlePull = (pull: SyncPull) => {
          const reply = handlePull(pull);
          if (!reply.ok || reply.value.snapshot) return reply;
          const previous = gateway.log().find((entry) => entry.ingestHlc === pull.sinceHlc);
          if (previous === undefined) return reply;
          return Ok({ ...reply.value, deltas: [previous.delta, ...reply.value.deltas] });
        };
        return opened;
      },
    });
    const redelivery = result.violations.filter((v) => v.oracle === 'redelivery');
    expect(redelivery.length).toBeGreaterThan(0);
    expect(redelivery[0]?.message).toMatch(
      /client-\d#1 at \d+ ms: delta \w{12} .* delivered again/,
    );
  });

  it('report a drift refusal that the client’s own clock does not explain (an absorbed stamp too far ahead)', async () => {
    const result = await runPlan(smallPlan(4, 'none'), {
      gatewayFactory: async (deps) => {
        const opened = await SyncGateway.open(deps);
        if (!opened.ok) return opened;
        const gateway = opened.value;
        const handlePull = gateway.handlePull.bind(gateway);
        // A broken gateway: its replies carry an HLC 20 s past its own clock, which clients absorb.
        gateway.handlePull = (pull: SyncPull) => {
          const reply = handlePull(pull);
          if (!reply.ok) return reply;
          const ahead = HLC.encode(deps.clock.now() + 20_000, 0);
          return Ok({ ...reply.value, serverHlc: ahead });
        };
        return opened;
      },
    });
    const refusals = result.violations.filter((v) => /went past the bound/.test(v.message));
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals[0]?.oracle).toBe('monotonicity');
    expect(refusals[0]?.message).toMatch(
      /its own clock was never more than -?\d+ ms ahead of the gateway's when it wrote/,
    );
  });
});
