import { createHash, type Hash } from 'node:crypto';

/**
 * The canonical trace of a run, kept only as a running SHA-256: one line per delivered message
 * (with its bytes), storage operation, fault and write, in event order. Two runs of the same plan
 * must produce the same `digest()` on Node and on Bun (the determinism oracle). Nothing that
 * depends on wall time or memory addresses may be recorded.
 */
export class Trace {
  readonly #hash: Hash = createHash('sha256');
  /**
   * Text not yet handed to the hash. SHA-256 is a stream, so hashing pieces together or apart
   * gives the same digest; batching saves a native call per piece. Pieces always meet at a space
   * or a newline, so joining them never pairs surrogates that were apart (same UTF-8 bytes).
   */
  #pending = '';
  #lines = 0;

  /** Appends one line of text. */
  record(line: string): void {
    this.#pending += `${line}\n`;
    if (this.#pending.length >= PENDING_LENGTH_MAX) this.#flush();
    this.#lines++;
  }

  /** Appends one line of text followed by raw bytes (a message on the wire, an object stored). */
  recordBytes(line: string, bytes: Uint8Array): void {
    this.#pending += `${line} `;
    this.#flush();
    this.#hash.update(bytes);
    this.#pending = '\n';
    this.#lines++;
  }

  /** Lines recorded so far. */
  get lines(): number {
    return this.#lines;
  }

  /** The hex SHA-256 of everything recorded; call once, at the end of the run. */
  digest(): string {
    this.#flush();
    return this.#hash.digest('hex');
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#hash.update(this.#pending);
    this.#pending = '';
  }
}

/** Pending text handed to the hash once it reaches this many UTF-16 units. */
const PENDING_LENGTH_MAX = 4_096;
