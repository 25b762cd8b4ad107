import { FAULT_KINDS, type FaultKind } from '../world/fault-sink';

/** The two phases of a run. */
export type Phase = 'fault' | 'heal';

/**
 * How many times each fault kind fired in each phase. Every kind is listed, zeros included, so
 * the report shows what a seed did not exercise.
 */
export class Coverage {
  readonly #counts = new Map<FaultKind, { fault: number; heal: number }>();

  constructor() {
    for (const kind of FAULT_KINDS) this.#counts.set(kind, { fault: 0, heal: 0 });
  }

  /** Counts one occurrence of `kind` in `phase`. */
  count(kind: FaultKind, phase: Phase): void {
    const entry = this.#counts.get(kind) as { fault: number; heal: number };
    entry[phase]++;
  }

  /** How many times `kind` fired in both phases. */
  total(kind: FaultKind): number {
    const entry = this.#counts.get(kind) as { fault: number; heal: number };
    return entry.fault + entry.heal;
  }

  /** A plain record for `RunResult.coverage`. */
  toRecord(): Record<string, { fault: number; heal: number }> {
    const record: Record<string, { fault: number; heal: number }> = {};
    for (const [kind, entry] of this.#counts) record[kind] = { ...entry };
    return record;
  }
}
