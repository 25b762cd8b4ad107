/**
 * The deterministic simulator's engine (DESIGN.md section 6): build a plan from a seed, run it in
 * virtual time against the real gateway and clients, check the oracles.
 *
 * ```ts
 * const plan = generatePlan(defaultSimConfig(42, { faultProfile: 'chaos' }));
 * const result = await runPlan(plan);   // result.ok, result.violations, result.traceHash …
 * ```
 */
export { createPrng, Prng } from './engine/prng';
export { FAULT_PROFILE_NAMES, faultProfile } from './faults/profiles';
export { runPlan } from './scenario/run-plan';
export type { RunOptions } from './scenario/sim-world';
export type * from './types';
export { generatePlan } from './workload/generate-plan';
export {
  DEFAULT_SIM_CONFIG,
  defaultSimConfig,
  minimumHealMs,
  type SimConfigOverrides,
  type WriteLoad,
} from './workload/sim-config';
export type { GatewayFactory } from './world/gateway-node';
export {
  REQUEST_TIMEOUT_MS,
  SIM_CLIENT_OPTIONS,
  SIM_GATEWAY_OPTIONS,
} from './world/node-options';
