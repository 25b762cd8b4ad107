import { describe, expect, it } from 'vitest';
import { ManualClock, ManualTimers } from '../../ports/manual';
import { LakeSyncError } from '../../result/errors';
import { Err, Ok, type Result } from '../../result/result';
import { RoundLoop } from '../tab-round-loop';

const TIMING = { intervalMs: 1_000, retryDelayMsMin: 100, retryDelayMsMax: 400 };

/** A round that finishes only when the test says so, recording when each one started. */
function controlledRounds(clock: ManualClock) {
  const started: number[] = [];
  const finish: Array<(result: Result<number, LakeSyncError>) => void> = [];
  const round = () =>
    new Promise<Result<number, LakeSyncError>>((resolve) => {
      started.push(clock.now());
      finish.push(resolve);
    });
  return { started, finish, round };
}

describe('RoundLoop', () => {
  it('never overlaps rounds: callers during a round share exactly one next round', async () => {
    const clock = new ManualClock();
    const rounds = controlledRounds(clock);
    const loop = new RoundLoop(new ManualTimers(clock), TIMING, rounds.round);
    const first = loop.runNow();
    const second = loop.runNow();
    const third = loop.runNow();
    expect(second).toBe(third);
    expect(rounds.started).toHaveLength(1);
    rounds.finish[0]!(Ok(1));
    expect(await first).toEqual(Ok(1));
    await Promise.resolve();
    await Promise.resolve();
    expect(rounds.started).toHaveLength(2);
    rounds.finish[1]!(Ok(2));
    expect(await second).toEqual(Ok(2));
  });

  it('runs every intervalMs, backs off exponentially (capped) after failures, and kicks', async () => {
    const clock = new ManualClock(0);
    const timers = new ManualTimers(clock);
    let failing = true;
    const started: number[] = [];
    const loop = new RoundLoop(timers, TIMING, async () => {
      started.push(clock.now());
      return failing ? Err(new LakeSyncError('TRANSPORT_ERROR', 'down')) : Ok(0);
    });
    loop.start();
    await timers.advance(1_000);
    expect(started).toEqual([0, 100, 300, 700]); // delays 100, 200, 400 (capped at 400 next)
    failing = false;
    await timers.advance(400); // the capped retry at 1 100 succeeds
    await timers.advance(1_000); // then the interval: 2 100
    expect(started.slice(4)).toEqual([1_100, 2_100]);
    loop.kick();
    await timers.runDue();
    expect(started.at(-1)).toBe(2_400);
    loop.stop();
    await timers.advance(10_000);
    expect(started.at(-1)).toBe(2_400);
  });
});
