import type { OracleName, RunResult } from '../types';

/**
 * What each oracle promises (DESIGN.md section 6), in the order the report lists them. Partial on
 * purpose: an oracle added to `OracleName` without a line here is still listed, counted and
 * reported (by its name, after these), so a new oracle never needs an edit of the report.
 */
export const ORACLE_DESCRIPTIONS: Readonly<Partial<Record<OracleName, string>>> = {
  convergence: 'every client replica = gateway index = the state folded from the lake',
  idempotency: 'no deltaId appears twice in the log or in the lake',
  durability: 'every write a client made is in the lake at the end, none lost, none invented',
  'model-agreement': 'final state = the reference model (highest (hlc, clientId) per column)',
  monotonicity: 'HLCs never go backwards on any node; no exception escapes a public API',
  liveness: 'after faults stop, convergence within a bounded virtual time',
  determinism: 'the same seed gives the same trace hash, on Node and on Bun',
  'lake-roundtrip': 'the lake written to a real S3 server reads back and folds to the same state',
  progress:
    'a client whose link and clock are within bounds completes a sync round in bounded time',
  'writes-follow-reads':
    "a write's version exceeds every version its writer's replica held for the row",
  'read-your-writes': 'right after a write the replica shows exactly the values written',
  'monotonic-reads': 'the version of each column a replica shows never goes down',
  'outbox-claims': 'a claim never hands out an outbox entry already being sent (two sync loops)',
  redelivery: 'within one gateway epoch no delta reaches a client twice by the log path',
  'applied-once':
    'no user write is in the lake under two stampings (a restamp of a write the gateway held)',
};

/** The oracle that only runs when the lake is written to a real S3 server. */
export const LAKE_ORACLE: OracleName = 'lake-roundtrip';

/**
 * The oracles a run is judged by, in report order: every described one, then any other oracle
 * the run names (in its violations or `oraclesChecked`, when the engine lists them), each once.
 */
export function oracleNames(result: Pick<RunResult, 'violations'> & OracleListing): OracleName[] {
  const names = Object.keys(ORACLE_DESCRIPTIONS) as OracleName[];
  const extra = [...(result.oraclesChecked ?? []), ...result.violations.map((v) => v.oracle)];
  for (const name of extra) if (!names.includes(name)) names.push(name);
  return names;
}

/** A run that may say which oracles it checked (engines that do list them). */
export interface OracleListing {
  readonly oraclesChecked?: readonly OracleName[];
}

/** The description of `oracle`, or a plain fallback for an oracle not described here. */
export function describeOracle(oracle: OracleName): string {
  return ORACLE_DESCRIPTIONS[oracle] ?? `the ${oracle} oracle (see sim/oracles/)`;
}

/**
 * How many oracles judged a run and how many of them failed: the lake round trip counts only
 * when it ran (`lakeChecked`) or failed.
 */
export function oracleTally(
  result: Pick<RunResult, 'violations'> & OracleListing,
  lakeChecked: boolean,
): { readonly checked: number; readonly failed: readonly OracleName[] } {
  const failed = [...new Set(result.violations.map((violation) => violation.oracle))];
  const names = oracleNames(result).filter(
    (name) => name !== LAKE_ORACLE || lakeChecked || failed.includes(name),
  );
  return { checked: names.length, failed: names.filter((name) => failed.includes(name)) };
}
