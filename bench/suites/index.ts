import type { Suite } from '../lib/suite';

/** A suite in the catalogue, loaded only when it runs. */
export interface SuiteEntry {
  readonly id: string;
  readonly load: () => Promise<Suite>;
}

/**
 * Every suite, in run order: short micro-benchmarks first, then the heavy ones (memory before
 * the large growth fill, so its heap readings start clean; the simulator last). Each is loaded
 * when it runs, so a suite whose code does not load (a module another engineer is still writing)
 * fails alone and the others still report.
 */
export const SUITES: readonly SuiteEntry[] = [
  { id: 'delta-id', load: async () => (await import('./delta-id')).deltaIdSuite },
  { id: 'codec', load: async () => (await import('./codec')).codecSuite },
  { id: 'merge', load: async () => (await import('./merge')).mergeSuite },
  { id: 'delta-buffer', load: async () => (await import('./delta-buffer')).deltaBufferSuite },
  { id: 'gateway-push', load: async () => (await import('./gateway-push')).gatewayPushSuite },
  { id: 'tab-merge', load: async () => (await import('./tab-merge')).tabMergeSuite },
  { id: 'http-push', load: async () => (await import('./http-push')).httpPushSuite },
  { id: 'memory', load: async () => (await import('./memory')).memorySuite },
  { id: 'append-growth', load: async () => (await import('./append-growth')).appendGrowthSuite },
  { id: 'simulator', load: async () => (await import('./simulator')).simulatorSuite },
];
