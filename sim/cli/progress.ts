/** Where progress goes: stderr, or a fake in tests. */
export interface ProgressSink {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

/** How a progress display behaves. Times are wall milliseconds from `now`. */
export interface ProgressOptions {
  readonly sink: ProgressSink;
  readonly now: () => number;
  /** False with `--quiet`: nothing is ever written. */
  readonly enabled: boolean;
  readonly label: string;
  /** Nothing shows for runs shorter than this. */
  readonly showAfterMs?: number;
  /** Least time between two redraws of the bar on a terminal. */
  readonly redrawMs?: number;
  /** Least time between two plain lines when the sink is not a terminal. */
  readonly plainEveryMs?: number;
}

const BAR_WIDTH_CHARS = 30;
const CLEAR_LINE = '\r\u001b[K';

/** `[##########----------]` for `fraction` of `width` characters (fraction clamped to 0..1). */
export function renderBar(fraction: number, width: number = BAR_WIDTH_CHARS): string {
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(clamped * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/**
 * A progress display for long runs. On a terminal it redraws one line in place (at most every
 * `redrawMs`); elsewhere (CI logs, pipes) it prints a plain line at most every `plainEveryMs`,
 * each saying it is still running, and `finish` closes them with a `done` line, so a log never
 * reads as if the run stopped at the last percentage printed. Nothing is shown during the first
 * `showAfterMs`, nor ever when disabled. On a terminal `finish` clears the bar.
 */
export class Progress {
  readonly #options: Required<ProgressOptions>;
  readonly #startedMs: number;
  #lastDrawMs = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(options: ProgressOptions) {
    this.#options = { showAfterMs: 1_000, redrawMs: 100, plainEveryMs: 10_000, ...options };
    this.#startedMs = options.now();
  }

  /** Reports `done` of `total`, with an optional note (e.g. "3 failed"). */
  update(done: number, total: number, note = ''): void {
    const { enabled, sink, now, showAfterMs, redrawMs, plainEveryMs, label } = this.#options;
    if (!enabled) return;
    const nowMs = now();
    if (nowMs - this.#startedMs < showAfterMs) return;
    const fraction = total > 0 ? done / total : 0;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    if (sink.isTTY === true) {
      if (nowMs - this.#lastDrawMs < redrawMs && done < total) return;
      const line = `${label} ${renderBar(fraction)} ${percent} ${note}`.trimEnd();
      const columns = sink.columns ?? 80;
      sink.write(`${CLEAR_LINE}${line.slice(0, Math.max(10, columns - 1))}`);
    } else {
      if (nowMs - this.#lastDrawMs < plainEveryMs) return;
      const line = `${label}: ${percent.trim()} ${note}`.trimEnd();
      sink.write(`${line} …\n`);
    }
    this.#lastDrawMs = nowMs;
    this.#drawn = true;
  }

  /**
   * Ends the display: clears the bar from a terminal so that what follows starts on a clean line;
   * elsewhere, when a plain line was printed, prints `<label>: done in <s> s wall`.
   */
  finish(): void {
    const { sink, now, label } = this.#options;
    if (this.#drawn && sink.isTTY === true) sink.write(CLEAR_LINE);
    else if (this.#drawn) {
      const seconds = ((now() - this.#startedMs) / 1000).toFixed(1);
      sink.write(`${label}: done in ${seconds} s wall\n`);
    }
    this.#drawn = false;
  }
}
