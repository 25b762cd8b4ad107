export type { Clock } from './clock';
export { ManualClock, ManualTimers } from './manual';
export { systemClock, systemTimers } from './system';
export type { TimerHandle, Timers } from './timers';
export type { Transport } from './transport';
