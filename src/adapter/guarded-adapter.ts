import { AdapterError } from '../result/errors';
import { Err, type Result } from '../result/result';
import type { LakeAdapter, ObjectInfo } from './types';

/**
 * Holds a `LakeAdapter` to its contract ("resolves to a `Result`, never throws or rejects") even
 * when the adapter does not keep it: a user-supplied adapter that throws, returns a rejected
 * promise, or resolves to something that is not a `Result` gives an `Err(AdapterError)` naming the
 * method, exactly like a failed request. The gateway's flush cycle and recovery call the lake only
 * through this, so a broken adapter is a failed flush (counted and retried with backoff) or a
 * failed recovery, never an unhandled rejection.
 */
export function guardAdapter(adapter: LakeAdapter): LakeAdapter {
  if (adapter instanceof GuardedAdapter) return adapter;
  return new GuardedAdapter(adapter);
}

class GuardedAdapter implements LakeAdapter {
  readonly #inner: LakeAdapter;

  constructor(inner: LakeAdapter) {
    this.#inner = inner;
  }

  putObject(
    path: string,
    data: Uint8Array,
    contentType?: string,
  ): Promise<Result<void, AdapterError>> {
    return guarded('putObject', path, () => this.#inner.putObject(path, data, contentType));
  }

  getObject(path: string): Promise<Result<Uint8Array, AdapterError>> {
    return guarded('getObject', path, () => this.#inner.getObject(path));
  }

  headObject(path: string): Promise<Result<{ size: number; lastModified: Date }, AdapterError>> {
    return guarded('headObject', path, () => this.#inner.headObject(path));
  }

  listObjects(prefix: string): Promise<Result<ObjectInfo[], AdapterError>> {
    return guarded('listObjects', prefix, () => this.#inner.listObjects(prefix));
  }

  deleteObject(path: string): Promise<Result<void, AdapterError>> {
    return guarded('deleteObject', path, () => this.#inner.deleteObject(path));
  }

  deleteObjects(paths: string[]): Promise<Result<void, AdapterError>> {
    const what = `${paths.length} keys`;
    return guarded('deleteObjects', what, () => this.#inner.deleteObjects(paths));
  }
}

/** Runs one adapter call, turning a throw, a rejection or a non-`Result` into an `AdapterError`. */
async function guarded<T>(
  method: string,
  target: string,
  call: () => Promise<Result<T, AdapterError>>,
): Promise<Result<T, AdapterError>> {
  const where = `adapter ${method}(${JSON.stringify(target)})`;
  let result: unknown;
  try {
    result = await call();
  } catch (caught) {
    const cause = caught instanceof Error ? caught : undefined;
    const reason = caught instanceof Error ? caught.message : String(caught);
    return Err(new AdapterError(`${where} threw: ${reason}`, cause));
  }
  if (!isResult(result)) {
    return Err(new AdapterError(`${where} resolved to ${describe(result)}, not a Result`));
  }
  return result as Result<T, AdapterError>;
}

function isResult(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { ok } = value as { ok?: unknown };
  if (ok === true) return 'value' in value;
  return ok === false && (value as { error?: unknown }).error instanceof Error;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
