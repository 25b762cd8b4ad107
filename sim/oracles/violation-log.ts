import type { OracleName, Violation } from '../types';

/** Default bound on violations kept per run; the run stops once it is reached. */
export const VIOLATIONS_MAX_DEFAULT = 50;

/**
 * How an oracle ranks when violations are ordered (root cause first): safety oracles (0) before
 * the bounded-progress oracle (1) before liveness (2) — a run that did not settle is usually the
 * symptom of whatever else failed, so "did not settle" leads only when nothing else failed.
 */
export function oracleRank(oracle: OracleName): number {
  if (oracle === 'liveness') return 2;
  if (oracle === 'progress') return 1;
  return 0;
}

/**
 * Orders violations root cause first: by `oracleRank`, then by the virtual time of their first
 * evidence (`atMs`), then in the order found. Pure; the input is left as it was.
 */
export function rootCauseFirst(violations: readonly Violation[]): Violation[] {
  return violations
    .map((violation, position) => ({ violation, position }))
    .sort(
      (a, b) =>
        oracleRank(a.violation.oracle) - oracleRank(b.violation.oracle) ||
        a.violation.atMs - b.violation.atMs ||
        a.position - b.position,
    )
    .map(({ violation }) => violation);
}

/**
 * Collects violations up to `violationsMax`; reaching the bound calls `onFull` once (the scenario
 * stops the run: more of the same rarely helps). `list` gives them root cause first.
 */
export class ViolationLog {
  readonly violationsMax: number;
  readonly #violations: Violation[] = [];
  readonly #onFull: () => void;
  #dropped = 0;

  constructor(violationsMax: number = VIOLATIONS_MAX_DEFAULT, onFull: () => void = () => {}) {
    this.violationsMax = Math.max(1, Math.floor(violationsMax));
    this.#onFull = onFull;
  }

  /** Records a violation unless the bound is reached (then it is only counted). */
  add(oracle: OracleName, message: string, atMs: number): void {
    if (this.#violations.length >= this.violationsMax) {
      this.#dropped++;
      return;
    }
    this.#violations.push({ oracle, message, atMs });
    if (this.#violations.length === this.violationsMax) this.#onFull();
  }

  get full(): boolean {
    return this.#violations.length >= this.violationsMax;
  }

  /** Violations found beyond the bound (not kept). */
  get dropped(): number {
    return this.#dropped;
  }

  get count(): number {
    return this.#violations.length;
  }

  /** The violations kept, root cause first (see `rootCauseFirst`). */
  list(): readonly Violation[] {
    return rootCauseFirst(this.#violations);
  }

  /** The violations kept, in the order found. */
  found(): readonly Violation[] {
    return this.#violations;
  }
}

/** The first line of an error's stack (or its message), for a short violation text. */
export function firstLine(error: unknown): string {
  if (error instanceof Error) {
    const stackLines = (error.stack ?? '').split('\n');
    const where = stackLines.find((line) => line.trim().startsWith('at '))?.trim() ?? 'no stack';
    return `${error.name}: ${error.message} (${where})`;
  }
  return `non-Error thrown: ${String(error)}`;
}
