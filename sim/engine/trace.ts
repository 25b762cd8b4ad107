import { createHash, type Hash } from 'node:crypto';

/**
 * The canonical trace of a run, kept only as a running SHA-256: one line per delivered message
 * (with its bytes), storage operation, fault and write, in event order. Two runs of the same plan
 * must produce the same `digest()` on Node and on Bun (the determinism oracle). Nothing that
 * depends on wall time or memory addresses may be recorded.
 */
export class Trace {
  readonly #hash: Hash = createHash('sha256');
  #lines = 0;

  /** Appends one line of text. */
  record(line: string): void {
    this.#hash.update(line);
    this.#hash.update('\n');
    this.#lines++;
  }

  /** Appends one line of text followed by raw bytes (a message on the wire, an object stored). */
  recordBytes(line: string, bytes: Uint8Array): void {
    this.#hash.update(line);
    this.#hash.update(' ');
    this.#hash.update(bytes);
    this.#hash.update('\n');
    this.#lines++;
  }

  /** Lines recorded so far. */
  get lines(): number {
    return this.#lines;
  }

  /** The hex SHA-256 of everything recorded; call once, at the end of the run. */
  digest(): string {
    return this.#hash.digest('hex');
  }
}
