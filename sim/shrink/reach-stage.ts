import type { Plan, ReachConfig } from '../types';
import { withReach } from './plan-edits';
import type { Probe } from './probe';

/** Smallest log retention and page size the shrinker tries (see `tightenBounds`). */
export const RETAIN_FLOOR = 4;
export const PAGE_FLOOR = 2;

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
 * Halves the log retention and the page size while the plan still fails: a trim or a paged
 * snapshot then needs fewer writes, so the later stages can remove more of them.
 */
export async function tightenBounds(plan: Plan, probe: Probe): Promise<Plan> {
  let current = plan;
  const bounds = [
    ['logRetainMax', RETAIN_FLOOR],
    ['pageDeltasMax', PAGE_FLOOR],
  ] as const;
  for (const [key, floor] of bounds) {
    for (;;) {
      const reach = current.config.reach;
      const value = reach?.[key];
      if (reach === undefined || value === undefined || probe.exhausted) break;
      const halved = Math.max(floor, Math.floor(value / 2));
      if (halved >= value) break;
      const candidate = withReach(current, { ...reach, [key]: halved });
      if (!(await probe.fails(candidate))) break;
      current = candidate;
    }
  }
  return current;
}
