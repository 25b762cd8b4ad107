// Node cannot start a worker thread on a .ts file, and the tsx loader of the parent does not carry
// over to workers, so under Node each seed worker starts here: register tsx, then load worker.ts.
// Bun runs worker.ts directly.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./worker.ts', import.meta.url).href);
