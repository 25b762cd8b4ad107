import { TRIGGER_NAMES } from '../faults/reach-profiles';
import { FAULT_KINDS, type FaultKind } from '../world/fault-sink';

/** The two phases of a run. */
export type Phase = 'fault' | 'heal';

/**
 * States the simulator reaches on purpose (ADR-017), counted beside the fault kinds: log trims,
 * snapshots served because a cursor fell below the trimmed floor (`stale-cursor`, a client
 * starting from nothing included) or came from an earlier gateway instance (`new-epoch`), stale
 * snapshots that carried a delete across the trim (a tombstone), and how
 * often each state-triggered fault fired.
 */
export const REACH_KINDS = [
  'trim',
  'snapshot:stale-cursor',
  'snapshot:new-epoch',
  'delete-across-trim',
  ...TRIGGER_NAMES.map((name) => `trigger:${name}` as const),
] as const;

/** One of `REACH_KINDS`. */
export type ReachKind = (typeof REACH_KINDS)[number];

/** What the coverage table counts: a fault kind or a reached state. */
export type CoverageKind = FaultKind | ReachKind;

/**
 * How many times each fault kind fired, and each reach state was reached, in each phase. Every
 * kind is listed, zeros included, so the report shows what a seed did not exercise.
 */
export class Coverage {
  readonly #counts = new Map<CoverageKind, { fault: number; heal: number }>();

  constructor() {
    for (const kind of FAULT_KINDS) this.#counts.set(kind, { fault: 0, heal: 0 });
    for (const kind of REACH_KINDS) this.#counts.set(kind, { fault: 0, heal: 0 });
  }

  /** Counts `times` occurrences (default one) of `kind` in `phase`. */
  count(kind: CoverageKind, phase: Phase, times = 1): void {
    const entry = this.#counts.get(kind) as { fault: number; heal: number };
    entry[phase] += times;
  }

  /** How many times `kind` fired in both phases. */
  total(kind: CoverageKind): number {
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
