import { createHash } from 'node:crypto';
import type { Plan } from '../types';

/** Decides whether a candidate plan still fails the same way. Must be deterministic. */
export type StillFails = (plan: Plan) => Promise<boolean>;

/**
 * Runs candidate plans against the predicate within a budget of `runsMax` runs. A candidate seen
 * before (same JSON, remembered by its SHA-256) is answered from memory without spending a run,
 * so the count is of distinct plans. Once the budget is spent every further candidate is answered
 * `false` (keep what we have), which keeps the shrinker bounded whatever its strategies try.
 */
export class Probe {
  readonly #stillFails: StillFails;
  readonly #runsMax: number;
  readonly #seen = new Map<string, boolean>();
  #runs = 0;

  constructor(stillFails: StillFails, runsMax: number) {
    this.#stillFails = stillFails;
    this.#runsMax = runsMax;
  }

  /** Predicate runs spent so far (at most `runsMax`). */
  get runs(): number {
    return this.#runs;
  }

  /** True once no run is left. */
  get exhausted(): boolean {
    return this.#runs >= this.#runsMax;
  }

  /** True iff `plan` still fails; `false` when the budget is spent and `plan` is new. */
  async fails(plan: Plan): Promise<boolean> {
    const key = createHash('sha256').update(JSON.stringify(plan)).digest('hex');
    const known = this.#seen.get(key);
    if (known !== undefined) return known;
    if (this.exhausted) return false;
    this.#runs++;
    const fails = await this.#stillFails(plan);
    this.#seen.set(key, fails);
    return fails;
  }
}
