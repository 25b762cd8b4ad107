import type { Plan, ReachConfig } from '../types';
import { withReach } from './plan-edits';
import type { Probe } from './probe';

/**
 * Smallest log retention and page size the shrinker tries (see `tightenBounds`): one retained
 * entry still trims on every flush, and pages of one delta still cut a two-row snapshot in two,
 * so a trim or a snapshot cut short by a restart needs only a couple of writes. (Floors of 4 and 2
 * left 10-30 writes in some trim-profile failures, whose trims and paged snapshots needed them.)
 */
export const RETAIN_FLOOR = 1;
export const PAGE_FLOOR = 1;

/** Removes the focus, each trigger, then the retention and page settings, one at a time. */
export async function simplifyReach(plan: Plan, probe: Probe): Promise<Plan> {
  let current = plan;
  const attempt = async (reach: ReachConfig | undefined): Promise<void> => {
    if (probe.exhausted) return;
    const candidate = withReach(current, reach);
    if (await probe.fails(candidate)) current = candidate;
  };
  if (current.config.reach === undefined) return current;
  await attempt(undefined);
  const reach = (): ReachConfig | undefined => current.config.reach;
  if (reach()?.focus !== undefined) {
    const { focus: _focus, ...rest } = reach() as ReachConfig;
    await attempt(rest);
  }
  for (const name of Object.keys(reach()?.triggers ?? {})) {
    const now = reach();
    if (now?.triggers === undefined) break;
    const { [name as keyof typeof now.triggers]: _off, ...triggers } = now.triggers;
    await attempt({ ...now, triggers });
  }
  for (const key of ['logRetainMax', 'pageDeltasMax', 'offlineMsMin'] as const) {
    const now = reach();
    if (now?.[key] === undefined) continue;
    const { [key]: _off, ...rest } = now;
    await attempt(key === 'offlineMsMin' ? withoutOfflineMax(rest) : rest);
  }
  return current;
}

function withoutOfflineMax(reach: ReachConfig): ReachConfig {
  const { offlineMsMax: _off, ...rest } = reach;
  return rest;
}

/**
 * Lowers the log retention and the page size while the plan still fails: a trim or a paged
 * snapshot then needs fewer writes, so the later stages can remove more of them. Whether a plan
 * fails is far from monotonic in these bounds: a page boundary decides which rows a client already
 * holds when its snapshot is cut short, so a failure may hold with pages of 40 and of 2 but not of
 * 20. Halving while it fails therefore stops at the first miss; instead each bound climbs the
 * ladder of `boundLadder` (the floor, then the successive halvings of the value, smallest first)
 * and keeps the first rung that still fails. At most about log2(value / floor) runs per bound and
 * pass, and none once a bound sits at its floor.
 */
export async function tightenBounds(plan: Plan, probe: Probe): Promise<Plan> {
  let current = plan;
  const bounds = [
    ['logRetainMax', RETAIN_FLOOR],
    ['pageDeltasMax', PAGE_FLOOR],
  ] as const;
  for (const [key, floor] of bounds) {
    const value = current.config.reach?.[key];
    if (value === undefined) continue;
    for (const rung of boundLadder(floor, value)) {
      const reach = current.config.reach;
      if (reach === undefined || probe.exhausted) break;
      const candidate = withReach(current, { ...reach, [key]: rung });
      if (await probe.fails(candidate)) {
        current = candidate;
        break;
      }
    }
  }
  return current;
}

/**
 * The values `tightenBounds` tries for a bound now at `value`, smallest first: `floor`, then
 * `value` halved as often as it stays above the floor (40 with floor 2: 2, 5, 10, 20). Empty when
 * the bound is at its floor.
 */
export function boundLadder(floor: number, value: number): number[] {
  const rungs: number[] = [];
  for (let rung = Math.floor(value / 2); rung > floor; rung = Math.floor(rung / 2)) {
    rungs.unshift(rung);
  }
  if (floor < value) rungs.unshift(floor);
  return rungs;
}
