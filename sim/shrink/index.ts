export { ddmin } from './ddmin';
export { FAULT_RATE_KEYS } from './fault-rate-keys';
export {
  eventClient,
  keepClients,
  keepEvents,
  withDurationMs,
  withHealMs,
  withRateZero,
  withReach,
} from './plan-edits';
export { describePlanSize, type PlanSize, planSize } from './plan-size';
export { Probe, type StillFails } from './probe';
export {
  DEFAULT_SHRINK_OPTIONS,
  describeShrink,
  type ShrinkOptions,
  type ShrinkReport,
  type ShrinkStage,
  shrinkPlan,
} from './shrink';
