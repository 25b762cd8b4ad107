import { performance } from 'node:perf_hooks';

/**
 * Monotonic wall milliseconds, for progress and the wall-time figures only. The one place in the
 * CLI that reads real time; nothing read here may reach a plan or a trace.
 */
export function wallNowMs(): number {
  return performance.now();
}
