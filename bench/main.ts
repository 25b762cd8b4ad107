/**
 * `npm run bench` (`node --expose-gc --import tsx bench/main.ts`): measures LakeSync against
 * baselines in the same process (one fresh process per suite), under Node and (unless `--no-bun`)
 * under Bun, and writes
 * reports/bench.md, reports/bench.json and reports/bench.svg. `--help` lists the options.
 * Exits 1 when a suite failed outright (for example the deltaId equality check) or the Bun child
 * produced no figures, 2 on bad arguments; a missed target is reported, not an exit failure.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs, USAGE } from './lib/args';
import { renderJson } from './lib/report-files';
import { runBench } from './lib/run-bench';
import { runSuites } from './lib/run-suites';
import { heldVerdict } from './lib/runs';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if ('error' in parsed) {
    process.stderr.write(`bench: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const { args } = parsed;
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.child) {
    const report = await runSuites({ quick: args.quick, only: args.only, log });
    writeFileSync(args.jsonPath!, renderJson(report));
    return report.failures.length > 0 ? 1 : 0;
  }
  const { report, paths, exitCode } = await runBench({
    quick: args.quick,
    bun: args.bun,
    only: args.only,
    inProcess: args.inProcess,
    runs: args.runs,
    outDir: args.outDir,
    log,
  });
  const onEvery = args.runs > 1 ? ` on every one of ${args.runs} runs` : '';
  for (const runtime of report.runtimes) {
    const passed = runtime.rows.filter(
      (row) => heldVerdict(report, runtime, row.id).verdict === 'PASS',
    ).length;
    process.stdout.write(
      `${runtime.runtime} ${runtime.runtimeVersion}: ${passed}/${runtime.rows.length} targets met${onEvery}, ${runtime.failures.length} suite failure(s)\n`,
    );
  }
  for (const note of report.notes) process.stdout.write(`note: ${note}\n`);
  if (paths !== null)
    process.stdout.write(`wrote ${paths.markdown}, ${paths.json}, ${paths.svg}\n`);
  return exitCode;
}

process.exitCode = await main(process.argv.slice(2));
