import type { RowDelta } from '../delta/types';
import type { ConflictError } from '../result/errors';
import type { Result } from '../result/result';
import { resolveLWW } from './lww';

/**
 * Decides the outcome of two concurrent deltas for the same row. Contract: deterministic and
 * symmetric in the sense that every node given the same pair reaches the same result; returns
 * `Err(ConflictError)` for deltas that cannot be compared (different rows), never throws.
 */
export interface ConflictResolver {
  resolve(local: RowDelta, remote: RowDelta): Result<RowDelta, ConflictError>;
}

/** The column-level last-write-wins resolver (`resolveLWW`). */
export const lwwResolver: ConflictResolver = {
  resolve: (local, remote) => resolveLWW(local, remote),
};
