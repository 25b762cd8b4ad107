import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { MachineInfo, RuntimeName } from './types';

/** What Bun exposes on `globalThis` that the runner uses. */
interface BunGlobal {
  readonly version: string;
  gc(force: boolean): void;
}

function bunGlobal(): BunGlobal | undefined {
  return (globalThis as { Bun?: BunGlobal }).Bun;
}

/** The runtime executing this process and its version (`20.20.2`, `1.4.5`). */
export function currentRuntime(): { name: RuntimeName; version: string } {
  const bun = bunGlobal();
  if (bun !== undefined) return { name: 'bun', version: bun.version };
  return { name: 'node', version: process.versions.node };
}

/**
 * A function that runs a full garbage collection now, or `null` when the runtime offers none.
 * Bun: `Bun.gc(true)`. Node: the `gc` global from `--expose-gc`, else one obtained by setting the
 * flag at run time (works on V8, so tests run without the flag).
 */
export function fullGc(): (() => void) | null {
  const bun = bunGlobal();
  if (bun !== undefined) return () => bun.gc(true);
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return () => exposed();
  try {
    setFlagsFromString('--expose-gc');
    const obtained: unknown = runInNewContext('gc');
    if (typeof obtained === 'function') return () => (obtained as () => void)();
  } catch {
    // No way to force a collection on this runtime: the memory suite reports ERROR.
  }
  return null;
}

/** Bytes of live JavaScript heap, as the runtime counts them. */
export function heapUsedBytes(): number {
  return process.memoryUsage().heapUsed;
}

/**
 * Describes this machine. Versions are filled in by the caller from the runtimes that actually
 * ran (the Bun version comes from the child's report).
 */
export function machineInfo(versions: {
  nodeVersion: string | null;
  bunVersion: string | null;
}): MachineInfo {
  const processors = cpus();
  return {
    os: `${platform()} ${release()}`,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    nodeVersion: versions.nodeVersion,
    bunVersion: versions.bunVersion,
    loadAverage: loadAverageNow(),
    loadAverageEnd: loadAverageNow(),
  };
}

/** The 1-minute load average, to two decimals. */
export function loadAverageNow(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

/** Free system memory in GiB, to decide whether the largest inputs fit. */
export function freeMemoryGiB(): number {
  return freemem() / 2 ** 30;
}
