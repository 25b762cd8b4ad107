import 'fake-indexeddb/auto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { LakeSyncError } from '../../result/errors';
import type { Result } from '../../result/result';
import { unwrapOrThrow } from '../../result/result';
import { type Tab, TabWorld } from './tab-world';

/**
 * Random schedules of several tabs over one outbox: writes, rounds fired without waiting, tabs
 * crashing (their code freezes mid-step, the browser frees their locks), new tabs opening, time
 * passing or not. Whatever the schedule, the gateway must refuse nothing (stamps rise in outbox
 * order), hold every acknowledged write exactly once, and see at most one tab talking at a time.
 */

type Command =
  | { readonly kind: 'write'; readonly tab: number; readonly row: number }
  | { readonly kind: 'sync'; readonly tab: number }
  | { readonly kind: 'crash'; readonly tab: number }
  /** Fires a round in the tab and crashes it a few turns later: likely mid-round. */
  | { readonly kind: 'sync-crash'; readonly tab: number; readonly turns: number }
  | { readonly kind: 'open' }
  | { readonly kind: 'tick'; readonly ms: number }
  | { readonly kind: 'yield'; readonly turns: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('write' as const), tab: fc.nat(3), row: fc.nat(4) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), tab: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), tab: fc.nat(3) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('sync-crash' as const),
      tab: fc.nat(3),
      turns: fc.nat(8),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'open' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('yield' as const), turns: fc.nat(6) }) },
);

async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

describe('TabSession under random schedules', () => {
  test.prop([fc.array(commandArb, { minLength: 5, maxLength: 30 })], { numRuns: 40 })(
    'no refusal, every acknowledged write at the gateway exactly once, one tab talking at a time',
    async (commands) => {
      const world = await TabWorld.create();
      world.latencyTurns = 2;
      const live: Tab[] = [await world.openTab(), await world.openTab()];
      const pending: Array<Promise<unknown>> = [];
      const acknowledged: string[] = [];
      let frozenWrites = 0;
      const writing = new Map<Tab, number>();
      let counter = 0;
      try {
        for (const command of commands) {
          const tab = 'tab' in command ? live[command.tab % live.length] : undefined;
          if (command.kind === 'write' && tab !== undefined) {
            const rowId = `r${command.row}`;
            const values = { n: counter++ };
            writing.set(tab, (writing.get(tab) ?? 0) + 1);
            const write: Promise<Result<unknown, LakeSyncError>> =
              tab.session.get('todos', rowId) === null
                ? tab.session.insert('todos', rowId, values)
                : tab.session.update('todos', rowId, values);
            pending.push(
              write.then((result) => {
                writing.set(tab, (writing.get(tab) ?? 1) - 1);
                const delta = unwrapOrThrow(result) as { deltaId: string } | null;
                if (delta !== null) acknowledged.push(delta.deltaId);
              }),
            );
          } else if (command.kind === 'sync' && tab !== undefined) {
            pending.push(tab.session.syncNow());
          } else if (command.kind === 'sync-crash' && tab !== undefined && live.length > 1) {
            pending.push(tab.session.syncNow());
            await turns(command.turns);
            frozenWrites += writing.get(tab) ?? 0;
            world.crashTab(tab);
            live.splice(live.indexOf(tab), 1);
          } else if (command.kind === 'crash' && tab !== undefined && live.length > 1) {
            frozenWrites += writing.get(tab) ?? 0;
            world.crashTab(tab);
            live.splice(live.indexOf(tab), 1);
          } else if (command.kind === 'open') {
            live.push(await world.openTab());
          } else if (command.kind === 'tick') {
            world.clock.advance(command.ms);
          } else if (command.kind === 'yield') {
            await turns(command.turns);
          }
        }
        // Settle what the live tabs started (a crashed tab's work never settles), then let a
        // tab that was open all along drain the outbox: it must pick up what crashed tabs left.
        await Promise.race([Promise.all(pending), turns(5_000)]);
        const last = live[0]!;
        unwrapOrThrow(await last.session.syncNow());
        unwrapOrThrow(await last.session.syncNow());

        expect(world.gateway.stats().pushesRejected).toBe(0);
        const logged = world.gateway.log().map((entry) => entry.delta.deltaId);
        expect(new Set(logged).size).toBe(logged.length);
        for (const id of acknowledged) expect(logged).toContain(id);
        expect(logged.length - acknowledged.length).toBeLessThanOrEqual(frozenWrites);
        const left = unwrapOrThrow(await last.queue.entries());
        expect(left.filter((entry) => entry.status !== 'accepted')).toEqual([]);
        expect(world.inFlightMax).toBeLessThanOrEqual(1);
      } finally {
        for (const tab of live) world.closeTab(tab);
        world.gateway.close();
      }
    },
  );
});
