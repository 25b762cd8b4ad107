export type { Clock } from './clock';
export { systemClock, systemTimers } from './system';
export type { TimerHandle, Timers } from './timers';
export type { Transport } from './transport';
export { ManualClock, ManualTimers } from './manual';
