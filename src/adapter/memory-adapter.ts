import type { Clock } from '../ports/clock';
import { AdapterError } from '../result/errors';
import { Err, Ok, type Result } from '../result/result';
import type { LakeAdapter, ObjectInfo } from './types';

/** What a `MemoryAdapter` needs: the clock that stamps `lastModified`. */
export interface MemoryAdapterDeps {
  readonly clock: Clock;
}

interface StoredObject {
  readonly data: Uint8Array;
  readonly lastModifiedMs: number;
}

/**
 * An in-memory `LakeAdapter` with the semantics of S3 as `S3Adapter` sees it, for unit tests and
 * the simulator. Guarantees:
 * - deterministic: no randomness, and `lastModified` is the injected clock's reading at the put;
 * - isolated: bytes are copied in on put and out on get, so a caller mutating its buffer later
 *   cannot corrupt the store, and one reader cannot change what another reads;
 * - S3-like: a put replaces any object at the key, a missing key on get or head is an
 *   `AdapterError` saying "not found", deleting a missing key succeeds, `listObjects` returns
 *   every key under the prefix sorted by key, and an empty key is refused as S3 refuses it;
 * - never throws or rejects.
 */
export class MemoryAdapter implements LakeAdapter {
  readonly #clock: Clock;
  readonly #objects = new Map<string, StoredObject>();

  constructor(deps: MemoryAdapterDeps) {
    this.#clock = deps.clock;
  }

  /** Stores a copy of `data`. The content type is accepted for interface parity and not kept. */
  async putObject(path: string, data: Uint8Array): Promise<Result<void, AdapterError>> {
    if (path.length === 0) return Err(new AdapterError('putObject: the key is empty'));
    if (!(data instanceof Uint8Array)) {
      return Err(new AdapterError(`putObject ${path}: data is not a Uint8Array`));
    }
    this.#objects.set(path, { data: data.slice(), lastModifiedMs: this.#clock.now() });
    return Ok(undefined);
  }

  async getObject(path: string): Promise<Result<Uint8Array, AdapterError>> {
    const stored = this.#objects.get(path);
    if (stored === undefined) return Err(notFound('getObject', path));
    return Ok(stored.data.slice());
  }

  async headObject(
    path: string,
  ): Promise<Result<{ size: number; lastModified: Date }, AdapterError>> {
    const stored = this.#objects.get(path);
    if (stored === undefined) return Err(notFound('headObject', path));
    return Ok({ size: stored.data.byteLength, lastModified: new Date(stored.lastModifiedMs) });
  }

  async listObjects(prefix: string): Promise<Result<ObjectInfo[], AdapterError>> {
    const listed: ObjectInfo[] = [];
    for (const [key, stored] of this.#objects) {
      if (!key.startsWith(prefix)) continue;
      listed.push({
        key,
        size: stored.data.byteLength,
        lastModified: new Date(stored.lastModifiedMs),
      });
    }
    listed.sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
    return Ok(listed);
  }

  async deleteObject(path: string): Promise<Result<void, AdapterError>> {
    if (path.length === 0) return Err(new AdapterError('deleteObject: the key is empty'));
    this.#objects.delete(path);
    return Ok(undefined);
  }

  /** Deletes every key given; like S3, an empty key fails on its own and the others still go. */
  async deleteObjects(paths: string[]): Promise<Result<void, AdapterError>> {
    let emptyKeys = 0;
    for (const path of paths) {
      if (path.length === 0) emptyKeys++;
      else this.#objects.delete(path);
    }
    if (emptyKeys === 0) return Ok(undefined);
    return Err(new AdapterError(`deleteObjects: ${emptyKeys} of ${paths.length} keys are empty`));
  }
}

function notFound(operation: string, path: string): AdapterError {
  return new AdapterError(`${operation} ${path}: not found`);
}
