import { createHash, type Hash } from 'node:crypto';
import { assert } from '../../src/result/assert';

/**
 * The canonical trace of a run, kept only as a running SHA-256: one line per delivered message
 * (with its bytes), storage operation, fault and write, in event order. Two runs of the same plan
 * must produce the same `digest()` on Node and on Bun (the determinism oracle). Nothing that
 * depends on wall time or memory addresses may be recorded.
 *
 * What is hashed: each line's text as UTF-8 (a lone surrogate as U+FFFD, as `Hash.update` encodes
 * a string), then for `recordBytes` a space and the raw bytes, then a newline.
 */
export class Trace {
  readonly #hash: Hash = createHash('sha256');
  /**
   * Bytes not yet handed to the hash. SHA-256 is a stream, so hashing pieces together or apart
   * gives the same digest; collecting them here turns two native calls per message (a few
   * thousand a run, each dearer than copying its bytes) into one call per `PENDING_BYTES_MAX`.
   */
  readonly #pending = new Uint8Array(PENDING_BYTES_MAX);
  #pendingUsed = 0;
  #lines = 0;

  /** Appends one line of text. */
  record(line: string): void {
    this.#text(line);
    this.#byte(NEWLINE);
    this.#lines++;
  }

  /** Appends one line of text followed by raw bytes (a message on the wire, an object stored). */
  recordBytes(line: string, bytes: Uint8Array): void {
    this.#text(line);
    this.#bytesToLineEnd(bytes);
  }

  /**
   * Appends the line `${timeMs}${head}` followed by raw bytes, `head` given as its ASCII bytes
   * (e.g. ` deliver client-3 pull`): what `recordBytes` hashes for that line, without building
   * its text (a template string per message, flattened again to be copied). `head` must be ASCII
   * (each byte ≤ 0x7f), which is how `asciiBytes` makes it.
   */
  recordTimedBytes(timeMs: number, head: Uint8Array, bytes: Uint8Array): void {
    if (!(Number.isSafeInteger(timeMs) && timeMs >= 0) || head.length > COPIED_BYTES_MAX) {
      this.recordBytes(`${timeMs}${asciiText(head)}`, bytes);
      return;
    }
    if (this.#pendingUsed + DIGITS_MAX + head.length > PENDING_BYTES_MAX) this.#flush();
    this.#digits(timeMs);
    this.#pending.set(head, this.#pendingUsed);
    this.#pendingUsed += head.length;
    this.#bytesToLineEnd(bytes);
  }

  /** A space, `bytes` (copied when short, else hashed where they lie) and the line's end. */
  #bytesToLineEnd(bytes: Uint8Array): void {
    this.#byte(SPACE);
    if (bytes.length > COPIED_BYTES_MAX) {
      this.#flush();
      this.#hash.update(bytes);
    } else {
      if (this.#pendingUsed + bytes.length > PENDING_BYTES_MAX) this.#flush();
      this.#pending.set(bytes, this.#pendingUsed);
      this.#pendingUsed += bytes.length;
    }
    this.#byte(NEWLINE);
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

  /**
   * The UTF-8 of `text`: ASCII (nearly every line) copied code by code, anything else through
   * `Hash.update` itself, so it is encoded exactly as before; text too long to fit goes the same
   * way.
   */
  #text(text: string): void {
    const length = text.length;
    if (length > COPIED_BYTES_MAX) {
      this.#flush();
      this.#hash.update(text);
      return;
    }
    if (this.#pendingUsed + length > PENDING_BYTES_MAX) this.#flush();
    const pending = this.#pending;
    let used = this.#pendingUsed;
    for (let index = 0; index < length; index++) {
      const code = text.charCodeAt(index);
      if (code > 0x7f) {
        // Hash what is pending, then the text from here on as a string.
        this.#pendingUsed = used;
        this.#flush();
        this.#hash.update(index === 0 ? text : text.slice(index));
        return;
      }
      pending[used++] = code;
    }
    this.#pendingUsed = used;
  }

  /** The decimal digits of a safe integer ≥ 0, as `${value}` writes them (room checked by the caller). */
  #digits(value: number): void {
    const pending = this.#pending;
    let length = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) length++;
    const start = this.#pendingUsed;
    let rest = value;
    for (let at = start + length - 1; at >= start; at--) {
      pending[at] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.#pendingUsed = start + length;
  }

  #byte(byte: number): void {
    if (this.#pendingUsed === PENDING_BYTES_MAX) this.#flush();
    this.#pending[this.#pendingUsed++] = byte;
  }

  #flush(): void {
    if (this.#pendingUsed === 0) return;
    this.#hash.update(this.#pending.subarray(0, this.#pendingUsed));
    this.#pendingUsed = 0;
  }
}

/**
 * The ASCII bytes of `text`, for `recordTimedBytes`; asserts every code is ≤ 0x7f (anything else
 * must go through `recordBytes`, which encodes it as `Hash.update` does).
 */
export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code > 0x7f) assert(false, `asciiBytes: ${JSON.stringify(text)} is not ASCII`);
    bytes[index] = code;
  }
  return bytes;
}

function asciiText(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

const NEWLINE = 0x0a;
const ZERO = 0x30;
/** Digits of the largest safe integer. */
const DIGITS_MAX = 16;
const SPACE = 0x20;

/** Pending bytes handed to the hash once they would overflow this. */
const PENDING_BYTES_MAX = 64 * 1024;

/** Texts and byte runs longer than this are hashed directly instead of copied. */
const COPIED_BYTES_MAX = 16 * 1024;
