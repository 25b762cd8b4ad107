import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedS3 } from '../../server/lake/embedded-s3';
import { S3Adapter } from '../../src/adapter/s3-adapter';
import { HttpTransport } from '../../src/client/http-transport';
import { SyncClient } from '../../src/client/sync-client';
import { decodeEnvelope, ENVELOPE_PREFIX } from '../../src/gateway/envelope';
import { ManualClock, ManualTimers } from '../../src/ports/manual';
import { systemClock } from '../../src/ports/system';
import { MemoryQueue } from '../../src/queue/memory-queue';
import { unwrapOrThrow } from '../../src/result/result';
import { TEST_SECRET } from './helpers';

/**
 * The CLI as an operator runs it: a child process in a fresh directory (so the default lake
 * directory `.lakesync/lake` lands there), under Node (with tsx as its loader) and under Bun.
 * Node is started with `--import tsx` rather than through the `tsx` command: that command runs
 * the gateway in a grandchild, which a failing test's SIGKILL would leave running.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'server/main.ts');
/** Node itself, loading TypeScript through tsx: the gateway is then this test's own child. */
const NODE_TSX = [
  process.execPath,
  '--import',
  pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href,
] as const;
const BUN = join(ROOT, 'node_modules/.bin/bun');
const LISTENING = /gateway listening on (http:\/\/\S+)/;

let directory = '';
let child: ChildProcess | null = null;
afterEach(async () => {
  if (child !== null && child.exitCode === null) child.kill('SIGKILL');
  child = null;
  if (directory !== '') await rm(directory, { recursive: true, force: true });
  directory = '';
});

/** Starts the CLI and resolves with its URL once it prints the listening line. */
function startCli(launcher: readonly string[], args: readonly string[], cwd: string) {
  const [command, ...launcherArgs] = launcher;
  if (command === undefined) throw new Error('startCli: an empty launcher');
  const proc = spawn(command, [...launcherArgs, MAIN, ...args], {
    cwd,
    env: { ...process.env, LAKESYNC_JWT_SECRET: TEST_SECRET, LAKESYNC_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => proc.once('exit', (code) => done(code)));
  const url = new Promise<string>((done, fail) => {
    let stdout = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = LISTENING.exec(stdout);
      if (match?.[1] !== undefined) done(match[1]);
    });
    void exited.then((code) =>
      fail(new Error(`gateway exited (${code}) before listening:\n${stderr}`)),
    );
  });
  url.catch(() => undefined); // a run that never listens (--help) is awaited through `exited`
  return { proc, url, exited, stderr: () => stderr };
}

/** A client that writes one row over HTTP and syncs it; real wall clock, since the server's is real. */
async function writeOneRow(url: string, clientId: string, token: string) {
  const timers = new ManualTimers(new ManualClock());
  const transport = new HttpTransport({ baseUrl: url, timers, token: () => token });
  const client = unwrapOrThrow(
    await SyncClient.open({
      clientId,
      clock: systemClock,
      timers,
      transport,
      queue: new MemoryQueue(),
    }),
  );
  const delta = unwrapOrThrow(
    await client.insert('todos', `${clientId}-row`, { title: 'over http' }),
  );
  const round = unwrapOrThrow(await client.syncOnce());
  expect(round.pushed).toBe(1);
  return delta.deltaId;
}

async function tokenFrom(url: string, clientId: string): Promise<string> {
  const response = await fetch(`${url}/v1/dev/token?clientId=${clientId}`, { method: 'POST' });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { clientId: string; token: string };
  expect(body.clientId).toBe(clientId);
  return body.token;
}

/** Delta ids in the envelopes under `lakeDir`, read through a fresh embedded S3 server. */
async function lakeDeltaIds(lakeDir: string): Promise<string[]> {
  const s3 = unwrapOrThrow(await startEmbeddedS3({ directory: lakeDir }));
  try {
    const adapter = new S3Adapter(s3.config);
    const ids: string[] = [];
    for (const object of unwrapOrThrow(await adapter.listObjects(ENVELOPE_PREFIX))) {
      const envelope = unwrapOrThrow(
        decodeEnvelope(unwrapOrThrow(await adapter.getObject(object.key))),
      );
      ids.push(...envelope.deltas.map((delta) => delta.deltaId));
    }
    return ids;
  } finally {
    await s3.stop();
  }
}

const bunMissing = !existsSync(BUN);
if (bunMissing)
  console.warn(
    'tests/server/process.test.ts: no Bun at node_modules/.bin/bun; the Bun case is skipped',
  );

describe('gateway CLI process', () => {
  it('--help lists the options and exits 0', async () => {
    directory = await mkdtemp(join(tmpdir(), 'lakesync-cli-'));
    const cli = startCli(NODE_TSX, ['--help'], directory);
    let stdout = '';
    cli.proc.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    expect(await cli.exited).toBe(0);
    expect(stdout).toContain('--jwt-secret');
    expect(stdout).toContain('LAKESYNC_PORT');
  });

  it('on Node: serves a push, and SIGTERM flushes it to the default lake directory and exits 0', async () => {
    directory = await mkdtemp(join(tmpdir(), 'lakesync-cli-'));
    const cli = startCli(NODE_TSX, ['--dev-tokens'], directory);
    const url = await cli.url;
    const deltaId = await writeOneRow(url, 'alice', await tokenFrom(url, 'alice'));
    cli.proc.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toContain('gateway stopped: 0 unflushed');
    expect(await lakeDeltaIds(join(directory, '.lakesync/lake'))).toEqual([deltaId]);
  });

  it.skipIf(bunMissing)(
    'on Bun: the same CLI serves a push and a pull, and SIGTERM flushes',
    async () => {
      directory = await mkdtemp(join(tmpdir(), 'lakesync-cli-bun-'));
      const cli = startCli([BUN], ['--dev-tokens', '--lake-dir', 'lake'], directory);
      const url = await cli.url;
      const deltaId = await writeOneRow(url, 'bun-client', await tokenFrom(url, 'bun-client'));
      const health = (await (await fetch(`${url}/healthz`)).json()) as { ok: boolean };
      expect(health.ok).toBe(true);
      cli.proc.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      expect(await lakeDeltaIds(join(directory, 'lake'))).toEqual([deltaId]);
    },
  );
});
