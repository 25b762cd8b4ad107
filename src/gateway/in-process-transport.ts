import type { Transport } from '../ports/transport';
import { TransportError } from '../result/errors';
import { Err, Ok } from '../result/result';
import type { WireHandler } from './wire-handler';

/**
 * A `Transport` that hands request bytes straight to a gateway in the same process; the bytes
 * still cross the protobuf codec both ways. Pass a function to model a gateway that can be down
 * (return `null`) or replaced after a restart.
 */
export function createInProcessTransport(
  target: WireHandler | (() => WireHandler | null),
): Transport {
  const resolve = typeof target === 'function' ? target : () => target;
  const send = async (kind: 'push' | 'pull', request: Uint8Array) => {
    const handler = resolve();
    if (handler === null) return Err(new TransportError(`gateway unreachable for ${kind}`));
    try {
      return Ok(handler[kind](request.slice()));
    } catch (caught) {
      return Err(
        new TransportError(
          `gateway failed on ${kind}: ${(caught as Error).message}`,
          caught as Error,
        ),
      );
    }
  };
  return {
    push: (request) => send('push', request),
    pull: (request) => send('pull', request),
  };
}
