import { describe, expect, it } from 'vitest';
import { SyncGateway } from '../../src/gateway/gateway';
import type { SyncPull } from '../../src/proto/types';
import { SchemaError } from '../../src/result/errors';
import { Err } from '../../src/result/result';
import { defaultSimConfig, generatePlan, runPlan } from '../index';
import { type ClientReading, ProgressOracle, progressBoundMs } from '../oracles/progress';
import type { GatewayFactory } from '../world/gateway-node';

const healthy = (roundsNet: number): ClientReading => ({ inBounds: true, roundsNet });

describe('progressBoundMs', () => {
  it('is one capped backoff plus two rounds of 8 worst-case round trips', () => {
    expect(
      progressBoundMs({ syncIntervalMs: 2_000, retryDelayMsMax: 4_000, latencyMsMax: 200 }),
    ).toBe(14_400);
    expect(
      progressBoundMs({ syncIntervalMs: 2_000, retryDelayMsMax: 4_000, latencyMsMax: 1_000 }),
    ).toBe(40_000);
  });
});

describe('ProgressOracle', () => {
  it('fires once when a client in bounds completes no round for longer than the bound', () => {
    const oracle = new ProgressOracle(2, 5_000);
    const problems: string[] = [];
    for (let now = 1_000; now <= 12_000; now += 1_000) {
      // client 0 keeps completing rounds; client 1 starts rounds that all fail (net stays 3)
      problems.push(...oracle.tick(now, (client) => healthy(client === 0 ? now / 1_000 : 3)));
    }
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^client-1 completed no sync round for 6000 ms/);
  });

  it('needs a rise of two: one round in flight at the window start proves nothing', () => {
    const oracle = new ProgressOracle(1, 3_000);
    expect(oracle.tick(1_000, () => healthy(5))).toEqual([]);
    expect(oracle.tick(2_000, () => healthy(6))).toEqual([]);
    expect(oracle.tick(5_000, () => healthy(6))).toHaveLength(1);
    const again = new ProgressOracle(1, 3_000);
    again.tick(1_000, () => healthy(5));
    again.tick(2_000, () => healthy(7));
    expect(again.tick(5_000, () => healthy(7))).toEqual([]);
  });

  it('starts the window again when a fault touches the client or it is out of bounds', () => {
    const oracle = new ProgressOracle(2, 3_000);
    oracle.tick(1_000, () => healthy(1));
    oracle.reset(0, 3_500);
    oracle.tick(4_000, (client) =>
      client === 1 ? { inBounds: false, roundsNet: null } : healthy(1),
    );
    expect(oracle.tick(5_000, () => healthy(1))).toEqual([]);
    expect(oracle.tick(6_000, () => healthy(1))).toEqual([]);
    oracle.resetAll(6_500);
    expect(oracle.tick(9_000, () => healthy(1))).toEqual([]);
    expect(oracle.tick(10_000, () => healthy(1))).toHaveLength(2);
  });
});

/** A gateway that refuses every pull of client-2: its rounds all fail while the others progress. */
const refusesClient2: GatewayFactory = async (deps) => {
  const opened = await SyncGateway.open(deps);
  if (!opened.ok) return opened;
  const gateway = opened.value;
  const handlePull = gateway.handlePull.bind(gateway);
  gateway.handlePull = (pull: SyncPull) =>
    pull.clientId === 'client-2' ? Err(new SchemaError('refused for the test')) : handlePull(pull);
  return opened;
};

describe('the progress oracle in a run', () => {
  it('catches a client that retries forever while the others progress', async () => {
    const plan = generatePlan(
      defaultSimConfig(5, { clients: 4, durationMs: 20_000, faultProfile: 'none' }),
    );
    const result = await runPlan(plan, { gatewayFactory: refusesClient2 });
    const progress = result.violations.filter((violation) => violation.oracle === 'progress');
    expect(progress).toHaveLength(1);
    expect(progress[0]?.message).toMatch(/^client-2 completed no sync round/);
  }, 60_000);

  it('never fires on a correct build (a few seeds of every profile; the soak runs many more)', async () => {
    for (const faultProfile of ['calm', 'default', 'trim', 'chaos', 'swarm'] as const) {
      for (const seed of [1, 2]) {
        const plan = generatePlan(
          defaultSimConfig(seed, { clients: 6, durationMs: 20_000, faultProfile }),
        );
        const result = await runPlan(plan);
        const progress = result.violations.filter((violation) => violation.oracle === 'progress');
        expect(progress, `${faultProfile} seed ${seed}`).toEqual([]);
      }
    }
  }, 120_000);
});
