import { describe, expect, it } from 'vitest';
import { afterQuiescence, quiescenceStep, settle } from '../engine/quiescence';

/** A chain of `length` promise hops (awaits, queued microtasks, resolved promises, ticks mixed). */
async function chain(length: number, log: string[], name: string): Promise<void> {
  for (let hop = 0; hop < length; hop++) {
    if (hop % 3 === 0) await null;
    else if (hop % 3 === 1) await new Promise<void>((resolve) => queueMicrotask(resolve));
    else await Promise.resolve().then(() => undefined);
  }
  log.push(name);
}

describe('settle', () => {
  it('waits for every microtask chain started before it, however long', async () => {
    for (const length of [0, 1, 7, 64, 1_000]) {
      const log: string[] = [];
      void chain(length, log, 'a');
      void chain(length * 2, log, 'b');
      await settle();
      expect(log.sort()).toEqual(['a', 'b']);
    }
  });

  it('is quiescent when called from plain code, a microtask or a tick callback', async () => {
    const contexts: Array<(run: () => void) => void> = [
      (run) => run(),
      (run) => queueMicrotask(run),
      (run) => process.nextTick(run),
    ];
    for (const inContext of contexts) {
      const log: string[] = [];
      const settled = new Promise<void>((resolve) => {
        inContext(() => {
          void chain(200, log, 'chain');
          void settle().then(() => {
            log.push('settled');
            resolve();
          });
        });
      });
      await settled;
      expect(log).toEqual(['chain', 'settled']);
    }
  });

  it('afterQuiescence and a reused quiescenceStep call back at the same point as settle', async () => {
    const log: string[] = [];
    await new Promise<void>((resolve) => {
      let round = 0;
      const step = quiescenceStep(() => {
        log.push(`step ${round}`);
        if (++round === 3) {
          resolve();
          return;
        }
        void chain(100 * round, log, `chain ${round}`);
        step();
      });
      void chain(50, log, 'chain 0');
      afterQuiescence(() => {
        log.push('after');
        step();
      });
    });
    expect(log).toEqual(['chain 0', 'after', 'step 0', 'chain 1', 'step 1', 'chain 2', 'step 2']);
  });
});
