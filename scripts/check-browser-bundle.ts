/**
 * `npm run check:bundle`: proves the browser client entry (`src/browser.ts`) bundles for the
 * browser and behaves there as on Node.
 *
 * 1. esbuild bundles it with `platform: 'browser'`; any import of a Node built-in (`node:*`,
 *    `fs`, `crypto`, …) from any file fails the check, naming the importer.
 * 2. The bundle must hash with `@noble/hashes` (the `#sha256` `default` condition) and must not
 *    contain `sha256-native.ts`.
 * 3. The bundle is loaded (it needs only web-platform globals, which Node also has) and its
 *    `deltaId` must equal Node's native `deltaId` on 2 000 seeded inputs.
 * Exits 0 and prints the bundle size, or prints every problem and exits 1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { generateIdFields } from '../bench/suites/delta-id';
import { type DeltaIdFields, deltaId } from '../src/delta/delta-id';

/** The entry checked; another can be named as the first argument (to see the check fail). */
const ENTRY = process.argv[2] ?? 'src/browser.ts';
const SEED = 'check-browser-bundle';
const INPUTS = 2_000;
const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

interface BrowserEntry {
  readonly SHA256_IMPLEMENTATION: string;
  readonly deltaId: (fields: DeltaIdFields) => string;
}

/** Records every import of a Node built-in, with its importer, and marks it as an error. */
function forbidNodeBuiltins(found: string[]): Plugin {
  return {
    name: 'forbid-node-builtins',
    setup(builder) {
      builder.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.split('/')[0] ?? args.path;
        if (!BUILTINS.has(args.path) && !args.path.startsWith('node:') && !BUILTINS.has(bare)) {
          return undefined;
        }
        found.push(`${relative(process.cwd(), args.importer)} imports ${args.path}`);
        return { errors: [{ text: `Node built-in ${args.path} in a browser bundle` }] };
      });
    },
  };
}

async function main(): Promise<number> {
  const problems: string[] = [];
  const builtins: string[] = [];
  const bundled = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    metafile: true,
    write: false,
    logLevel: 'silent',
    plugins: [forbidNodeBuiltins(builtins)],
  }).catch((caught: unknown) => {
    const errors = (caught as { errors?: Array<{ text: string }> }).errors ?? [];
    problems.push(...errors.map((error) => `esbuild: ${error.text}`));
    if (errors.length === 0) problems.push(`esbuild failed: ${String(caught)}`);
    return null;
  });
  problems.push(...builtins.map((line) => `Node built-in: ${line}`));
  if (bundled === null || problems.length > 0) return report(problems, null);

  const inputs = Object.keys(bundled.metafile.inputs);
  if (!inputs.some((path) => path.endsWith('@noble/hashes/sha2.js'))) {
    problems.push('the bundle does not contain @noble/hashes/sha2.js: #sha256 resolved wrongly');
  }
  if (inputs.some((path) => path.endsWith('sha256-native.ts'))) {
    problems.push('the bundle contains src/delta/sha256-native.ts (node:crypto)');
  }
  const code = bundled.outputFiles[0]?.text ?? '';
  problems.push(...(await compareIds(code)));
  return report(problems, code.length);
}

/** Loads the bundle and compares its `deltaId` with Node's on seeded inputs. */
async function compareIds(code: string): Promise<string[]> {
  const directory = await mkdtemp(join(tmpdir(), 'lakesync-bundle-'));
  try {
    const file = join(directory, 'browser.mjs');
    await writeFile(file, code);
    const entry = (await import(pathToFileURL(file).href)) as BrowserEntry;
    if (entry.SHA256_IMPLEMENTATION !== '@noble/hashes') {
      return [`the bundle hashes with ${entry.SHA256_IMPLEMENTATION}, not @noble/hashes`];
    }
    const problems: string[] = [];
    for (const [position, fields] of generateIdFields(SEED, INPUTS).entries()) {
      const inBrowser = entry.deltaId(fields);
      const onNode = deltaId(fields);
      if (inBrowser !== onNode) {
        problems.push(`input ${position} (seed ${SEED}): bundle id ${inBrowser} ≠ Node ${onNode}`);
        if (problems.length >= 5) break;
      }
    }
    return problems;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function report(problems: readonly string[], bytes: number | null): number {
  if (problems.length > 0) {
    process.stderr.write(`check:bundle FAILED for ${ENTRY}:\n`);
    for (const problem of problems) process.stderr.write(`  - ${problem}\n`);
    return 1;
  }
  const size = bytes === null ? '?' : `${(bytes / 1024).toFixed(1)} KiB minified`;
  process.stdout.write(
    `check:bundle ok: ${ENTRY} bundles for the browser with no Node built-ins (${size}); ` +
      `#sha256 → @noble/hashes; deltaId equals Node's on ${INPUTS} seeded inputs\n`,
  );
  return 0;
}

process.exitCode = await main();
