import { writeFileSync } from 'node:fs';
import { defaultSimConfig, type Plan, type PlanEvent } from '../../sim/index';

/**
 * A scenario written by hand: two clients edit the same row while one of them is cut off and the
 * gateway restarts. Writes the plan as JSON; the simulator runs it like any other plan:
 *
 *   npx tsx docs/examples/scenario.ts partition-and-restart.json
 *   npm run sim -- --replay partition-and-restart.json
 */
const file = process.argv[2] ?? 'partition-and-restart.json';

// No random faults: only the events below happen (latency is still drawn from the seed).
const config = defaultSimConfig(7, { clients: 2, faultProfile: 'none', durationMs: 20_000 });

const events: PlanEvent[] = [
  {
    kind: 'write',
    atMs: 1_000,
    client: 0,
    op: 'insert',
    table: 'todos',
    rowId: 'r1',
    values: { title: 'milk', done: false },
  },
  { kind: 'partition', atMs: 2_000, durationMs: 8_000, clients: [1], direction: 'both' },
  // While client 1 is cut off, both edit the row: different columns, so both edits survive.
  {
    kind: 'write',
    atMs: 3_000,
    client: 0,
    op: 'update',
    table: 'todos',
    rowId: 'r1',
    values: { title: 'oat milk' },
  },
  {
    kind: 'write',
    atMs: 3_500,
    client: 1,
    op: 'update',
    table: 'todos',
    rowId: 'r1',
    values: { done: true },
  },
  { kind: 'gateway-restart', atMs: 5_000, downMs: 2_000 },
  { kind: 'write', atMs: 12_000, client: 1, op: 'delete', table: 'todos', rowId: 'r1', values: {} },
  {
    kind: 'write',
    atMs: 12_001,
    client: 0,
    op: 'insert',
    table: 'todos',
    rowId: 'r2',
    values: { title: 'bread' },
  },
];

const plan: Plan = { version: 1, seed: config.seed, config, events };
writeFileSync(file, `${JSON.stringify(plan, null, 2)}\n`);
console.log(`wrote ${events.length} events to ${file}; run: npm run sim -- --replay ${file}`);
