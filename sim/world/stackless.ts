import { AdapterError, TransportError } from '../../src/result/errors';

/**
 * The simulated network and store fail requests as values, hundreds of times a run, and a stack
 * trace captured there names only the scheduler (where the fault was drawn), never the code under
 * test, while capturing it is most of what building the error costs. These build the very errors
 * a real transport or adapter returns — same class, `name`, `code` and `message`, same
 * `instanceof` — with no frames captured (`stack` is the `name: message` line alone). Errors the
 * code under test builds itself keep their stacks.
 */
export function simTransportError(message: string): TransportError {
  return withoutStack(() => new TransportError(message));
}

/** An `AdapterError` of the simulated store, built without a stack trace (see `simTransportError`). */
export function simAdapterError(message: string): AdapterError {
  return withoutStack(() => new AdapterError(message));
}

/** Runs `build` with stack capture off, restoring the runtime's limit whatever happens. */
export function withoutStack<E extends Error>(build: () => E): E {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
