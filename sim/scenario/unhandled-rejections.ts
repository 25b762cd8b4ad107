type Sink = (error: unknown) => void;

const sinks = new Set<Sink>();
let listening = false;

function onUnhandledRejection(reason: unknown): void {
  for (const sink of sinks) sink(reason);
}

/**
 * Reports promise rejections nobody handled (an exception escaping fire-and-forget code under
 * test, e.g. a sync loop's `void round()`) to `sink` until the returned function is called. One
 * process-wide listener is shared by all runs in progress (Node and Bun both emit
 * `unhandledRejection` on `process`).
 */
export function watchUnhandledRejections(sink: Sink): () => void {
  sinks.add(sink);
  if (!listening) {
    process.on('unhandledRejection', onUnhandledRejection);
    listening = true;
  }
  return () => {
    sinks.delete(sink);
    if (sinks.size === 0 && listening) {
      process.off('unhandledRejection', onUnhandledRejection);
      listening = false;
    }
  };
}
