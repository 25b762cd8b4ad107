import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { EMBEDDED_S3_BUCKET } from '../server/lake/embedded-s3';
import { DEFAULT_BUCKET } from '../sim/cli/lake-target';
import { runPlan } from '../sim/index';
import type { Plan } from '../sim/types';

/**
 * Keeps the user guide (docs/) and the docker setup true: the examples the pages show are the
 * files that run, every error code the code can return is explained, links resolve, and docker,
 * the simulator and the gateway server agree on one bucket and one Nessie API version.
 */

const ROOT = resolve(import.meta.dirname, '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'lakesync-docs-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `npx tsx …args` from the project root; resolves with its exit code and output. */
async function tsx(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npx', ['tsx', ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (caught) {
    const failed = caught as { code?: unknown; stdout?: unknown; stderr?: unknown };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      stdout: String(failed.stdout ?? ''),
      stderr: String(failed.stderr ?? ''),
    };
  }
}

/** Every `.ts` file under `directory`, tests excluded. */
function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(ROOT, directory), { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__tests__' && entry.name !== 'gen') files.push(...sourceFiles(path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      files.push(path);
    }
  }
  return files;
}

/** The error codes the library and the server can return, found in their source. */
function errorCodesInSource(): Set<string> {
  const patterns = [
    /new LakeSyncError\(\s*'([A-Z][A-Z_]+)'/g,
    /super\('([A-Z][A-Z_]+)'/g,
    /export const [A-Z_]+ = '([A-Z][A-Z_]+)';/g,
  ];
  /** Entries of the `HTTP_ERROR_CODES = { … }` table. */
  const httpTable = /HTTP_ERROR_CODES = \{([^}]*)\}/;
  const codes = new Set<string>();
  for (const file of [...sourceFiles('src'), ...sourceFiles('server')]) {
    const text = read(file);
    for (const pattern of patterns)
      for (const match of text.matchAll(pattern)) codes.add(match[1]!);
    const table = httpTable.exec(text)?.[1] ?? '';
    for (const match of table.matchAll(/: '([A-Z][A-Z_]+)'/g)) codes.add(match[1]!);
  }
  return codes;
}

describe('docs/using-lakesync.md', () => {
  const page = read('docs/using-lakesync.md');

  it('shows docs/examples/in-process.ts verbatim, and the example runs as the page says', async () => {
    const marker = '<!-- example: docs/examples/in-process.ts -->\n```ts\n';
    const start = page.indexOf(marker);
    expect(start).toBeGreaterThan(0);
    const shown = page.slice(start + marker.length, page.indexOf('\n```', start + marker.length));
    expect(shown).toBe(read('docs/examples/in-process.ts').trimEnd());
    const run = await tsx('docs/examples/in-process.ts');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("bob sees { done: true, title: 'Buy milk' }");
    expect(run.stdout).toContain('SCHEMA_MISMATCH - ');
    expect(run.stdout).toMatch(/deltas\/\d{4}-\d{2}-\d{2}\/gw-1\/\d{20}-\d{20}\.json/);
  });

  it('explains every error code the library and the server return', () => {
    const codes = errorCodesInSource();
    // The scan must find the known ones, or it is scanning nothing.
    for (const known of ['SCHEMA_MISMATCH', 'GATEWAY_CLOSED', 'UNAUTHENTICATED', 'TAB_LOCK_FAILED'])
      expect(codes).toContain(known);
    const documented = new Set([...page.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]));
    expect([...codes].filter((code) => !documented.has(code)).sort()).toEqual([]);
  });
});

describe('docs/using-lakesync.md: the gateway server', () => {
  it('serves the HTTP example client and /healthz, and stops cleanly', {
    timeout: 60_000,
  }, async () => {
    // One Node process with the tsx loader (not npx, not the tsx CLI, which forks a child), so
    // SIGTERM reaches the server itself and nothing outlives the test if it fails.
    const server = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'server/main.ts',
        '--no-auth',
        '--port',
        '0',
        '--lake-dir',
        join(scratch, 'gateway-lake'),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = '';
        server.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /gateway listening on (http:\/\/[0-9.]+:\d+)/.exec(out);
          if (match !== null) done(match[1]!);
        });
        server.on('exit', (code) =>
          fail(new Error(`gateway exited with ${code} before listening`)),
        );
      });
      const client = await tsx('docs/examples/http-client.ts', url);
      expect(client.code).toBe(0);
      expect(client.stdout).toMatch(/^pushed 1, pulled \d+, outbox \d+$/m);
      const health = (await (await fetch(`${url}/healthz`)).json()) as { ok?: unknown };
      expect(health.ok).toBe(true);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('docs/simulator.md', () => {
  it('the scenario example writes a plan that replays and holds, from the CLI too', async () => {
    const file = join(scratch, 'partition-and-restart.json');
    const written = await tsx('docs/examples/scenario.ts', file);
    expect(written.code).toBe(0);
    const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
    expect(plan.events.map((event) => event.kind)).toContain('gateway-restart');
    const result = await runPlan(plan);
    expect(result.violations).toEqual([]);
    const replayed = await tsx('sim/main.ts', '--replay', file, '--lake', 'none', '--quiet');
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain(result.traceHash);
  });
});

describe('links in docs/', () => {
  it('every relative link of every page points at a file that exists', () => {
    const pages = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const name of pages) {
      for (const match of read(`docs/${name}`).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = match[1]!;
        if (/^[a-z]+:/.test(target)) continue; // http:, https:, mailto:
        const path = resolve(dirname(join(ROOT, 'docs', name)), target);
        expect(existsSync(path), `${name} links to ${target}`).toBe(true);
      }
    }
  });
});

describe('docker/', () => {
  it('uses one bucket everywhere: compose, init script, .env.example, simulator, server', () => {
    const compose = parseYaml(read('docker/docker-compose.yml')) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    const composeDefault = /:-([^}]+)\}/.exec(
      compose.services['minio-init']!.environment!.LAKESYNC_BUCKET!,
    )?.[1];
    const initDefault = /bucket="\$\{LAKESYNC_BUCKET:-([^}]+)\}"/.exec(
      read('docker/init-minio.sh'),
    )?.[1];
    const envExample = /^LAKESYNC_BUCKET=(.+)$/m.exec(read('docker/.env.example'))?.[1];
    const serverHelp = /LAKESYNC_S3_BUCKET, default ([a-z0-9-]+)\)/.exec(
      read('server/cli-options.ts'),
    )?.[1];
    const buckets = {
      composeDefault,
      initDefault,
      envExample,
      serverHelp,
      simulator: DEFAULT_BUCKET,
      embedded: EMBEDDED_S3_BUCKET,
    };
    expect(new Set(Object.values(buckets)), JSON.stringify(buckets)).toEqual(new Set(['lakesync']));
    expect(read('docker/README.md')).not.toMatch(/lakesync-dev/);
  });

  it('names one Nessie API version in .env.example, docker/README.md and ADR-004', () => {
    const versions = new Set<string>();
    for (const file of [
      'docker/.env.example',
      'docker/README.md',
      'adrs/ADR-004-iceberg-rest-catalogue.md',
    ]) {
      for (const match of read(file).matchAll(/:19120\/api\/(v\d+)/g)) versions.add(match[1]!);
    }
    expect([...versions]).toEqual(['v2']);
  });
});
