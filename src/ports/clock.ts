/**
 * Wall-clock time in milliseconds since the Unix epoch. Contract: readings may jump backwards
 * or forwards (NTP, skew, a simulated fault); callers that need monotonic time build it on top
 * (the HLC does). Real: `systemClock`; simulated: a per-node virtual clock in `sim/`.
 */
export interface Clock {
  now(): number;
}
