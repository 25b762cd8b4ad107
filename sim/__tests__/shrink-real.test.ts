import { describe, expect, it } from 'vitest';
import { SyncGateway } from '../../src/gateway/gateway';
import type { SyncPush } from '../../src/proto/types';
import { defaultSimConfig, generatePlan, runPlan } from '../index';
import { shrinkPlan } from '../shrink/shrink';
import type { Plan } from '../types';
import type { GatewayFactory } from '../world/gateway-node';

/**
 * A sabotaged gateway: it acknowledges every write to the table `tags` but silently drops it. The real engine must
 * catch that, and the shrinker must cut the failing plan down to the few events that show it.
 */
const dropsDeletes: GatewayFactory = async (deps) => {
  const opened = await SyncGateway.open(deps);
  if (!opened.ok) return opened;
  const gateway = opened.value;
  const handlePush = gateway.handlePush.bind(gateway);
  gateway.handlePush = (push: SyncPush) =>
    handlePush({ ...push, deltas: push.deltas.filter((delta) => delta.table !== 'tags') });
  return opened;
};

describe('shrinking a real failure', () => {
  it('finds the sabotage and shrinks the plan to a handful of events that still fail', async () => {
    const plan = generatePlan(
      defaultSimConfig(3, { clients: 4, durationMs: 10_000, faultProfile: 'calm' }),
    );
    const failing = await runPlan(plan, { gatewayFactory: dropsDeletes });
    expect(failing.ok).toBe(false);
    const oracle = failing.violations[0]!.oracle;
    const stillFails = async (candidate: Plan) => {
      const result = await runPlan(candidate, { gatewayFactory: dropsDeletes });
      return result.violations.some((violation) => violation.oracle === oracle);
    };
    const report = await shrinkPlan(plan, stillFails, { shrinkRunsMax: 150 });
    expect(report.plan.events.length).toBeLessThan(plan.events.length);
    expect(report.plan.events.length).toBeLessThanOrEqual(4);
    expect(
      report.plan.events.some((event) => event.kind === 'write' && event.table === 'tags'),
    ).toBe(true);
    expect(await stillFails(report.plan)).toBe(true);
    // The honest gateway passes the same minimal plan: the failure is the sabotage, not the plan.
    expect((await runPlan(report.plan)).ok).toBe(true);
  }, 120_000);
});
