import type { LakeAdapter } from '../../src/adapter/types';
import { type RoundTripReport, roundTripLake, roundTripPrefix } from '../lake/roundtrip';
import type { OracleName, Plan, RunResult, Violation } from '../types';
import type { SimEngine } from './engine';
import { wallNowMs } from './wall-clock';

/** A run of a plan: it ran (and the oracles judged it), or the engine threw. */
export type RunOutcome =
  | {
      readonly kind: 'ran';
      readonly result: RunResult;
      /** The S3 round trip, when a lake was given and every oracle held. */
      readonly lake: RoundTripReport | null;
      /** Set when the S3 store refused the round trip: the check could not run. */
      readonly lakeError: string | null;
    }
  | { readonly kind: 'crashed'; readonly plan: Plan; readonly message: string };

/** How a run failed: the first broken oracle, `crash`, or `null` when it passed. */
export type FailureSignature = OracleName | 'crash' | null;

/** Options of `checkPlan`. */
export interface CheckOptions {
  /** Where the lake goes after the oracles hold; `null` skips the round trip. */
  readonly lake: LakeAdapter | null;
  /** Run a passing plan a second time and compare trace hashes (oracle 7, same runtime). */
  readonly determinism: boolean;
  readonly onProgress?: (virtualMs: number, totalMs: number) => void;
}

/**
 * Runs `plan` through the engine and judges it. When every oracle holds: with `determinism`, runs
 * it again and appends a `determinism` violation if the trace hash differs; with a `lake` store,
 * writes the run's lake to it and reads it back (`withLakeCheck`). An exception escaping the
 * engine is caught and reported as a crash. Wall time is measured here only to fill
 * `stats.wallMs` when the engine left it at zero; it never reaches the trace.
 */
export async function checkPlan(
  engine: SimEngine,
  plan: Plan,
  options: CheckOptions,
): Promise<RunOutcome> {
  const { onProgress, determinism } = options;
  // With the determinism check the plan runs twice: progress covers both runs, half each.
  const firstHalf =
    onProgress === undefined || !determinism
      ? onProgress
      : (virtualMs: number, totalMs: number) => onProgress(virtualMs, 2 * totalMs);
  let outcome = await runOnce(engine, plan, firstHalf);
  if (determinism) {
    const secondHalf =
      onProgress === undefined
        ? undefined
        : (virtualMs: number, totalMs: number) => onProgress(totalMs + virtualMs, 2 * totalMs);
    outcome = await withDeterminismCheck(engine, outcome, secondHalf);
  }
  return options.lake === null ? outcome : withLakeCheck(outcome, options.lake);
}

async function runOnce(
  engine: SimEngine,
  plan: Plan,
  onProgress?: (virtualMs: number, totalMs: number) => void,
): Promise<RunOutcome> {
  const startedMs = wallNowMs();
  let result: RunResult;
  try {
    result = await engine.runPlan(plan, onProgress === undefined ? {} : { onProgress });
  } catch (caught) {
    const message = caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
    return { kind: 'crashed', plan, message };
  }
  return {
    kind: 'ran',
    result: withWallTime(result, wallNowMs() - startedMs),
    lake: null,
    lakeError: null,
  };
}

/**
 * Runs a passing plan once more and appends a `determinism` violation when the second run's trace
 * hash differs (or it throws). Other outcomes pass through untouched.
 */
export async function withDeterminismCheck(
  engine: SimEngine,
  outcome: RunOutcome,
  onProgress?: (virtualMs: number, totalMs: number) => void,
): Promise<RunOutcome> {
  if (outcome.kind === 'crashed' || !outcome.result.ok) return outcome;
  const { result } = outcome;
  const again = await runOnce(engine, result.plan, onProgress);
  const secondHash = again.kind === 'ran' ? again.result.traceHash : null;
  if (secondHash === result.traceHash) return outcome;
  const message =
    secondHash === null
      ? 'the same plan ran once, then threw on the second run'
      : `the same plan gave trace hash ${result.traceHash}, then ${secondHash}`;
  const violation: Violation = { oracle: 'determinism', message, atMs: result.stats.virtualMs };
  return {
    ...outcome,
    result: { ...result, ok: false, violations: [...result.violations, violation] },
  };
}

/**
 * Adds the S3 round trip to a run whose oracles all held: writes its lake under a prefix of its
 * own (`roundTripPrefix`), reads it back and folds it; a mismatch becomes a `lake-roundtrip`
 * violation, a store that refuses becomes `lakeError`. Other outcomes pass through untouched.
 */
export async function withLakeCheck(outcome: RunOutcome, lake: LakeAdapter): Promise<RunOutcome> {
  if (outcome.kind === 'crashed' || !outcome.result.ok) return outcome;
  const { result } = outcome;
  const prefix = roundTripPrefix(result.plan.seed, result.traceHash);
  const trip = await roundTripLake(result.lakeObjects, lake, {
    prefix,
    atMs: result.stats.virtualMs,
  });
  if (!trip.ok) return { ...outcome, lakeError: trip.error.message };
  const violation = trip.value.violation;
  if (violation === null) return { ...outcome, lake: trip.value };
  const failed: RunResult = { ...result, ok: false, violations: [...result.violations, violation] };
  return { ...outcome, result: failed, lake: trip.value };
}

/** The failure a shrunk plan must keep: the first violated oracle, or `crash`. */
export function failureSignature(outcome: RunOutcome): FailureSignature {
  if (outcome.kind === 'crashed') return 'crash';
  if (outcome.result.ok) return null;
  return outcome.result.violations[0]?.oracle ?? 'crash';
}

/** True iff `outcome` fails with `signature`: a crash, or a violation of that oracle. */
export function failsWith(outcome: RunOutcome, signature: FailureSignature): boolean {
  if (signature === null) return false;
  if (outcome.kind === 'crashed') return signature === 'crash';
  return outcome.result.violations.some((violation) => violation.oracle === signature);
}

function withWallTime(result: RunResult, wallMs: number): RunResult {
  if (result.stats.wallMs > 0) return result;
  const virtualMsPerWallMs = wallMs > 0 ? result.stats.virtualMs / wallMs : 0;
  return { ...result, stats: { ...result.stats, wallMs, virtualMsPerWallMs } };
}
