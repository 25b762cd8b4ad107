import { fileURLToPath } from 'node:url';
import { relaunchUnderBunIfAsked } from './bun-relaunch';
import { parseCli } from './cli-options';
import { startGatewayServer } from './start';

/**
 * The gateway server's command line: `npm run gateway` (Node) or `bun run gateway` (Bun).
 * Prints `gateway listening on http://HOST:PORT` on stdout once it serves; everything else
 * (notices, warnings, the shutdown) goes to stderr. SIGTERM or SIGINT: stop accepting, flush,
 * exit 0; a second signal exits at once with 1. `--help` lists the options.
 */
async function main(argv: readonly string[]): Promise<number> {
  // The AWS SDK warns on Node 20 about its future releases; it says nothing about this server.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const relaunched = relaunchUnderBunIfAsked(fileURLToPath(import.meta.url), argv);
  if (relaunched !== null) return relaunched;
  const plan = parseCli(argv, process.env);
  if (!plan.ok) {
    console.error(`gateway: ${plan.error}\nRun with --help for the options.`);
    return 2;
  }
  if (plan.value.kind === 'help') {
    process.stdout.write(plan.value.text);
    return 0;
  }
  for (const notice of plan.value.notices) console.error(notice);
  const started = await startGatewayServer({
    ...plan.value.options,
    log: (line) => console.error(line),
  });
  if (!started.ok) {
    console.error(`gateway: cannot start: ${started.error.message}`);
    return 1;
  }
  const server = started.value;
  console.log(`gateway listening on ${server.url} (${server.runtime})`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        console.error(`${signal} again: exiting without waiting for the flush`);
        resolve(1);
        return;
      }
      stopping = true;
      const pending = server.gateway.stats().unflushedDeltas;
      console.error(`${signal}: no longer accepting; flushing ${pending} deltas to the lake`);
      void server.close().then(() => {
        const stats = server.gateway.stats();
        console.error(
          `gateway stopped: ${stats.unflushedDeltas} unflushed, durable HLC ${stats.durableHlc}`,
        );
        resolve(stats.unflushedDeltas === 0 ? 0 : 1);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
