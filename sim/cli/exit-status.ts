/**
 * The simulator's exit statuses, which a CI script can branch on:
 *
 * - `0` every oracle held on every seed run (or merged);
 * - `1` an oracle was violated (or the engine crashed on a plan): a bug to look at;
 * - `2` bad usage: an unknown or malformed option, an unreadable plan or summary, a missing engine;
 * - `3` infrastructure: the run could not be completed or its evidence kept (the lake endpoint
 *   is unreachable, a report, plan or summary file is not writable, a worker thread died, an
 *   internal error). It wins over `1`, because the evidence of the failure is incomplete; the
 *   printed verdict still names any violation.
 */
export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_USAGE = 2;
export const EXIT_INFRASTRUCTURE = 3;

/** One of the statuses above. */
export type ExitStatus =
  | typeof EXIT_OK
  | typeof EXIT_VIOLATION
  | typeof EXIT_USAGE
  | typeof EXIT_INFRASTRUCTURE;

/** The status of a run that found `violated` and met `infrastructureProblem`. */
export function runStatus(violated: boolean, infrastructureProblem: boolean): ExitStatus {
  if (infrastructureProblem) return EXIT_INFRASTRUCTURE;
  return violated ? EXIT_VIOLATION : EXIT_OK;
}
