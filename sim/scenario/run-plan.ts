import type { Plan, RunResult } from '../types';
import { checkAfterHeal } from './final-checks';
import { LivenessMonitor } from './liveness';
import { schedulePlanEvents } from './plan-events';
import { type RunOptions, SimWorld } from './sim-world';
import { summarise } from './summary';
import { watchUnhandledRejections } from './unhandled-rejections';

/**
 * Runs a plan in virtual time and checks the oracles. The story:
 *
 * 1. world — build the scheduler, PRNG streams, network, storage, gateway and clients;
 * 2. start — open the gateway and every client (their sync loops start);
 * 3. workload and faults — every plan event at its virtual time;
 * 4. heal — at `durationMs` the drawn faults stop, partitions end, clocks re-sync;
 * 5. check — after `healMs` more, the oracles (liveness is monitored during the heal).
 *
 * Deterministic: the same plan gives the same `traceHash` on every run, on Node and on Bun (the
 * caller runs twice to check oracle 7). Never rejects on a violation — violations are in the
 * result; a rejection means a simulator bug. Run one plan at a time per process: unhandled
 * promise rejections are attributed to every run in progress.
 */
export async function runPlan(plan: Plan, options: RunOptions = {}): Promise<RunResult> {
  const wallStart = performance.now();
  const world = new SimWorld(plan, options);
  const stopWatching = watchUnhandledRejections((error) =>
    world.exception(error, 'a promise (unhandled rejection)'),
  );
  try {
    const liveness = new LivenessMonitor(world);
    startNodes(world);
    schedulePlanEvents(world);
    scheduleHeal(world);
    liveness.start(options.onProgress);
    await world.scheduler.runUntil(world.endMs);
    const lake = await checkAfterHeal(world, liveness);
    const wallMs = performance.now() - wallStart;
    const violations = world.violations.list();
    return {
      ok: violations.length === 0,
      plan,
      violations,
      traceHash: world.trace.digest(),
      stats: summarise(world, lake.objects.size, wallMs, liveness.convergedAtMs),
      timeline: world.timeline.rows(),
      coverage: world.coverage.toRecord(),
      lakeObjects: lake.objects,
    };
  } finally {
    stopWatching();
  }
}

/** The gateway and every client start opening at virtual time 0. */
function startNodes(world: SimWorld): void {
  world.scheduler.at(0, () => {
    world.lifecycle('faults', 'phase', 'fault phase begins');
    world.gateway.open();
    for (const node of world.clients) node.open();
  });
}

/**
 * At `durationMs` the faults stop: no more drops, duplicates, lost replies or storage failures;
 * partitions and offline periods end; every client clock re-syncs to true time (a client whose
 * HLC ran ahead keeps it — the gateway accepts its writes once true time catches up, which is
 * why `healMs` must exceed the largest forward skew). Restarts still down come back on schedule.
 */
function scheduleHeal(world: SimWorld): void {
  world.scheduler.at(world.plan.config.durationMs, () => {
    world.phase = 'heal';
    world.network.faultsActive = false;
    world.network.healAll();
    world.storage.faultsActive = false;
    for (const node of world.clients) node.clock.resync();
    world.lifecycle('faults', 'phase', 'heal phase begins: faults stop, clocks re-sync');
  });
}
