import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import { todoViteConfig } from '../../apps/todo/vite-config';
import { type GatewayServer, startGatewayServer } from '../../server/start';
import { unwrapOrThrow } from '../../src/result/result';

/** Debian's Chromium (or `LAKESYNC_CHROMIUM`); the browser suite never downloads one. */
export const CHROMIUM_PATH = process.env.LAKESYNC_CHROMIUM ?? '/usr/bin/chromium';
/** Set (CI does) to make a missing Chromium fail the suite instead of skipping it. */
export const REQUIRE_BROWSER = process.env.LAKESYNC_REQUIRE_BROWSER === '1';
/** Whether the browser suite can run here. */
export const HAVE_CHROMIUM = existsSync(CHROMIUM_PATH);

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const JWT_SECRET = 'browser-suite-secret-at-least-32-characters-long';
/** Rounds are driven by the tests and by cross-tab messages, never by the app's timer. */
const APP_QUERY = '?syncMs=600000';

/** The built todo app and Chromium, shared by every test of the suite. */
export interface BrowserSuite {
  readonly browser: Browser;
  /** A fresh gateway (own lake) with the app served in front of it, for one test. */
  startWorld(): Promise<BrowserWorld>;
  close(): Promise<void>;
}

/** One test's gateway server (embedded S3) and the app's preview server forwarding to it. */
export interface BrowserWorld {
  readonly gateway: GatewayServer;
  readonly appUrl: string;
  close(): Promise<void>;
}

/**
 * Builds `apps/todo` once (a production Vite build) and launches headless Chromium. Each test
 * then starts its own world on free loopback ports: the gateway with dev tokens (flushing only
 * when told: `flushAgeMs` is an hour) and `vite preview` of the build with `/v1` forwarded to
 * that gateway. Every todo list is shared by all clients of a gateway, hence one per test.
 */
export async function startBrowserSuite(): Promise<BrowserSuite> {
  const outDir = await mkdtemp(join(tmpdir(), 'lakesync-todo-build-'));
  try {
    await build(todoViteConfig({ gatewayUrl: 'http://unused', outDir, logLevel: 'silent' }));
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    return {
      browser,
      startWorld: () => startWorld(outDir),
      async close() {
        await browser.close();
        await rm(outDir, { recursive: true, force: true });
      },
    };
  } catch (caught) {
    await rm(outDir, { recursive: true, force: true });
    throw caught;
  }
}

async function startWorld(outDir: string): Promise<BrowserWorld> {
  const gateway = unwrapOrThrow(
    await startGatewayServer({
      auth: { kind: 'jwt', secret: JWT_SECRET },
      port: 0,
      lake: { kind: 'embedded' },
      devTokens: true,
      gatewayOptions: { flushAgeMs: 3_600_000 },
    }),
  );
  let server: PreviewServer;
  try {
    const config = todoViteConfig({ gatewayUrl: gateway.url, port: 0, outDir, logLevel: 'silent' });
    server = await preview(config);
  } catch (caught) {
    await gateway.close({ flush: false });
    throw caught;
  }
  const appUrl = server.resolvedUrls?.local[0];
  if (appUrl === undefined) throw new Error('vite preview did not report its URL');
  return {
    gateway,
    appUrl: `${appUrl}${APP_QUERY}`,
    async close() {
      await server.close();
      await gateway.close({ flush: false });
    },
  };
}

/** Opens the app in a new page of `context` and waits until its session is open. */
export async function openApp(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(url);
  await waitForApp(page);
  return page;
}

/** Waits for `window.lakesync` (installed once the tab's session is open). */
export async function waitForApp(page: Page): Promise<void> {
  await page.waitForFunction(() => window.lakesync !== undefined, null, { timeout: 15_000 });
}

/** Runs one sync round in the page; fails the test with the page's error when it fails. */
export async function syncNow(page: Page): Promise<{ pushed: number; pulled: number }> {
  const outcome = await page.evaluate(() => window.lakesync!.syncNow());
  if (!outcome.ok) throw new Error(`sync round failed in the page: ${outcome.error}`);
  return outcome;
}

/** The todos a page shows, as `title|completed` strings in list order (from the DOM). */
export async function shownTodos(page: Page): Promise<string[]> {
  return page.$$eval('#todos li', (items) =>
    items.map((item) => {
      const title = (item.querySelector('.title') as HTMLInputElement).value;
      const done = (item.querySelector('.toggle') as HTMLInputElement).checked;
      return `${title}|${done ? 'done' : 'open'}`;
    }),
  );
}

/** Waits until the page's list (DOM) is exactly `expected`. */
export async function waitForTodos(page: Page, expected: readonly string[]): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const items = Array.from(document.querySelectorAll('#todos li')).map((item) => {
        const title = (item.querySelector('.title') as HTMLInputElement).value;
        const done = (item.querySelector('.toggle') as HTMLInputElement).checked;
        return `${title}|${done ? 'done' : 'open'}`;
      });
      return JSON.stringify(items) === JSON.stringify(want);
    },
    expected,
    { timeout: 15_000 },
  );
}

/** Adds a todo through the form and waits until it is in the list and the outbox. */
export async function addTodo(page: Page, title: string): Promise<void> {
  await page.fill('#new-title', title);
  await page.press('#new-title', 'Enter');
  await page.waitForFunction(
    (wanted) => window.lakesync!.todos().some((todo) => todo.title === wanted),
    title,
  );
}

/** The list item of the todo titled `title`. */
export function itemTitled(page: Page, title: string) {
  return page.locator('#todos li', { has: page.locator(`input.title[value="${title}"]`) });
}

/** Renames a todo through its title field (type, then Enter) and waits for the write. */
export async function renameTodo(page: Page, from: string, to: string): Promise<void> {
  const id = await todoId(page, from);
  const field = page.locator(`#todos li[data-id="${id}"] input.title`);
  await field.fill(to);
  await field.press('Enter');
  await page.waitForFunction(
    ([rowId, title]) => window.lakesync!.todos().some((t) => t.id === rowId && t.title === title),
    [id, to] as const,
  );
}

/** Ticks or unticks a todo through its checkbox and waits for the write. */
export async function toggleTodo(page: Page, title: string): Promise<void> {
  const id = await todoId(page, title);
  const before = await page.evaluate((rowId) => {
    return window.lakesync!.todos().find((t) => t.id === rowId)!.completed;
  }, id);
  await page.locator(`#todos li[data-id="${id}"] input.toggle`).click();
  await page.waitForFunction(
    ([rowId, want]) => window.lakesync!.todos().some((t) => t.id === rowId && t.completed === want),
    [id, !before] as const,
  );
}

/** Deletes a todo through its button and waits for the write. */
export async function deleteTodo(page: Page, title: string): Promise<void> {
  const id = await todoId(page, title);
  await page.locator(`#todos li[data-id="${id}"] button.delete`).click();
  await page.waitForFunction((rowId) => !window.lakesync!.todos().some((t) => t.id === rowId), id);
}

/** The row id of the todo titled `title`, once this page shows one (it may still be syncing). */
export async function todoId(page: Page, title: string): Promise<string> {
  const handle = await page.waitForFunction(
    (wanted) => window.lakesync!.todos().find((todo) => todo.title === wanted)?.id ?? false,
    title,
    { timeout: 15_000 },
  );
  return (await handle.jsonValue()) as string;
}
