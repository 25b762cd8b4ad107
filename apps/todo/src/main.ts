import {
  broadcastTabChannel,
  HttpTransport,
  IdbQueue,
  type LakeSyncError,
  MemoryLockHub,
  type Result,
  systemClock,
  systemTimers,
  type TabLocks,
  TabSession,
  webTabLocks,
} from '../../../src/browser';
import { DevTokens } from './dev-token';
import { watchGateway } from './gateway-watch';
import { loadClientId } from './identity';
import { renderStatus } from './status-line';
import { installTestHooks } from './test-hooks';
import { TodoView } from './todo-view';
import { newTodoColumns, TODOS_TABLE, todosOf } from './todos';

/** The outbox database every tab of this origin shares; also names its locks and channel. */
const OUTBOX = 'lakesync-todo-outbox';

/** `length` random hex digits (`getRandomValues` works outside secure contexts too). */
function randomHex(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(length / 2)));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, length);
}

/**
 * The Web Locks of this origin. Browsers offer them only in secure contexts (https, localhost,
 * 127.0.0.1); elsewhere this tab falls back to locks of its own and says so, because other tabs
 * are then not kept from syncing at once (the outbox still refuses out-of-order stamps).
 */
function tabLocks(): TabLocks {
  if (typeof navigator.locks !== 'undefined') return webTabLocks(navigator.locks);
  console.warn('no Web Locks here (not a secure context): open the app on localhost or https');
  return new MemoryLockHub().tab();
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const syncIntervalMs = Number(params.get('syncMs') ?? '1000');
  const footer = document.getElementById('status') as HTMLElement;
  const clientId = await loadClientId(() => `web-${randomHex(8)}`);
  const tokens = new DevTokens(clientId);
  const http = new HttpTransport({
    baseUrl: location.origin,
    timers: systemTimers,
    timeoutMs: 5_000,
    token: () => tokens.get(),
  });
  const { transport, marks } = watchGateway(http);
  const queue = await IdbQueue.open(OUTBOX, { requireRisingHlc: true });
  if (!queue.ok) throw queue.error;
  const opened = await TabSession.open({
    clientId,
    clock: systemClock,
    timers: systemTimers,
    transport,
    queue: queue.value,
    locks: tabLocks(),
    channel: broadcastTabChannel(OUTBOX),
    namespace: OUTBOX,
    options: { syncIntervalMs, retryDelayMsMin: 250, retryDelayMsMax: 5_000 },
  });
  if (!opened.ok) throw opened.error;
  const session = opened.value;
  const written: string[] = [];
  let problem: string | null = null;
  let outboxDepth: number | null = null;

  const report = (result: Result<unknown, LakeSyncError>): void => {
    problem = result.ok ? null : result.error.message;
    redraw();
  };
  const stamp = () => new Date(systemClock.now()).toISOString();
  const view = new TodoView(document, {
    add: (title) => {
      const id = randomHex(32);
      void session.insert(TODOS_TABLE, id, newTodoColumns(title, stamp())).then(report);
    },
    rename: (id, title) =>
      void session.update(TODOS_TABLE, id, { title, updated_at: stamp() }).then(report),
    toggle: (id, completed) =>
      void session.update(TODOS_TABLE, id, { completed, updated_at: stamp() }).then(report),
    remove: (id) => void session.delete(TODOS_TABLE, id).then(report),
  });

  let drawing = false;
  function redraw(): void {
    if (drawing) return;
    drawing = true;
    queueMicrotask(async () => {
      drawing = false;
      view.render(todosOf(session.rows()));
      const depth = await session.outboxDepth();
      outboxDepth = depth.ok ? depth.value : null;
      renderStatus(footer, {
        clientId,
        browserOnline: navigator.onLine,
        sync: session.status(),
        outboxDepth,
        marks,
        problem,
      });
    });
  }

  session.subscribe((event) => {
    if (event.kind === 'wrote') written.push(event.delta.deltaId);
    if (event.kind === 'sync-failed' && event.error.code === 'UNAUTHENTICATED') tokens.invalidate();
    redraw();
  });
  window.addEventListener('online', () => void session.syncNow());
  window.addEventListener('offline', redraw);
  redraw();
  session.start();
  installTestHooks({ session, queue: queue.value, clientId, written, redraw });
}

start().catch((caught: unknown) => {
  const footer = document.getElementById('status');
  if (footer !== null) footer.textContent = `failed to start: ${String(caught)}`;
  console.error(caught);
});
