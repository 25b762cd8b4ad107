import { createPrng, type Prng } from '../engine/prng';
import { TRIGGER_NAMES } from '../faults/reach-profiles';
import type { FaultFocus, ReachConfig, TriggerName } from '../types';

/** What the world tells the triggers about the moment a protocol event happens. */
export interface TriggerMoment {
  readonly nowMs: number;
  /** Whether faults are drawn now (the fault phase). */
  readonly faultsActive: boolean;
}

/** Where a fired trigger is reported: coverage counts `trigger:<name>`, the timeline shows it. */
export type TriggerSink = (name: TriggerName, lane: string, detail: string) => void;

/**
 * State-triggered faults (ADR-017): at a protocol event of kind `name` — a snapshot page with more
 * to come was served, a recovering gateway read an envelope, an envelope landed, a client claimed
 * a batch and is about to send it — the world asks `fires(name, …)`, which draws from the seed's
 * `triggers/<name>` stream with that trigger's probability. One stream per trigger keeps the n-th
 * event of a kind deciding the same way whatever else a shrunk plan dropped, so shrinking keeps
 * the fault that mattered. Nothing is drawn for a trigger whose
 * probability is 0, so a plan without reach settings replays exactly as before. Triggers fire only
 * while faults are active, inside a window focus when there is one, and (for per-client events)
 * only for the focused client when the focus is a client.
 */
export class Triggers {
  readonly #streams = new Map<TriggerName, Prng>();
  readonly #probabilities: ReadonlyMap<TriggerName, number>;
  readonly #focus: FaultFocus | undefined;
  readonly #moment: () => TriggerMoment;
  readonly #sink: TriggerSink;
  readonly #fired = new Map<TriggerName, number>();

  constructor(
    reach: ReachConfig | undefined,
    seed: number,
    moment: () => TriggerMoment,
    sink: TriggerSink,
  ) {
    this.#focus = reach?.focus;
    this.#moment = moment;
    this.#sink = sink;
    const probabilities = new Map<TriggerName, number>();
    for (const name of TRIGGER_NAMES) {
      const probability = reach?.triggers?.[name] ?? 0;
      if (probability > 0) {
        probabilities.set(name, Math.min(1, probability));
        this.#streams.set(name, createPrng(seed, `triggers/${name}`));
      }
      this.#fired.set(name, 0);
    }
    this.#probabilities = probabilities;
  }

  /** True when `name` may ever fire in this run (its probability is above 0). */
  armed(name: TriggerName): boolean {
    return this.#probabilities.has(name);
  }

  /**
   * True when a fault is to be injected at this event now (and reports it to the sink).
   * `client` is the client the event concerns, or `null` for gateway events.
   */
  fires(name: TriggerName, client: number | null, lane: string, detail: string): boolean {
    const probability = this.#probabilities.get(name);
    if (probability === undefined) return false;
    const moment = this.#moment();
    if (!moment.faultsActive || !this.#inFocus(client, moment.nowMs)) return false;
    const stream = this.#streams.get(name) as Prng;
    if (!stream.chance(probability)) return false;
    this.#fired.set(name, (this.#fired.get(name) ?? 0) + 1);
    this.#sink(name, lane, detail);
    return true;
  }

  /** A draw from `name`'s stream, for the shape of a fault once it fired (e.g. a down time). */
  between(name: TriggerName, min: number, max: number): number {
    const stream = this.#streams.get(name);
    return stream === undefined ? min : stream.between(min, max);
  }

  /** How often each trigger fired. */
  fired(name: TriggerName): number {
    return this.#fired.get(name) ?? 0;
  }

  #inFocus(client: number | null, nowMs: number): boolean {
    const focus = this.#focus;
    if (focus === undefined) return true;
    if (focus.kind === 'window') return nowMs >= focus.fromMs && nowMs < focus.toMs;
    return client === null || client === focus.client;
  }
}
