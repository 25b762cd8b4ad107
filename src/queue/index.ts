export { IdbQueue, type IdbQueueOptions } from './idb-queue';
export { MemoryQueue } from './memory-queue';
export type { QueueCheckpoint } from './queue-checkpoint';
export {
  DEFAULT_QUEUE_OPTIONS,
  type QueueEntry,
  type QueueEntryStatus,
  type QueueOptions,
  type Restamp,
  type RestampOptions,
  type SyncQueue,
} from './types';
