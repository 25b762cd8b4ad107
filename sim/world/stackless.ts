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
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new TransportError(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** An `AdapterError` of the simulated store, built without a stack trace (see `simTransportError`). */
export function simAdapterError(message: string): AdapterError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new AdapterError(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
