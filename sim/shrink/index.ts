export { ddmin } from './ddmin';
export { FAULT_RATE_KEYS } from './fault-rate-keys';
export {
  eventClient,
  keepClients,
  keepEvents,
  withDurationMs,
  withHealMs,
  withRateZero,
} from './plan-edits';
export { describePlanSize, type PlanSize, planSize } from './plan-size';
export { Probe, type StillFails } from './probe';
export {
  DEFAULT_SHRINK_OPTIONS,
  type ShrinkOptions,
  type ShrinkReport,
  shrinkPlan,
} from './shrink';
