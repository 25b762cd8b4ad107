/**
 * LakeSync's client for browsers: everything a local-first web app needs and nothing that needs
 * Node — no lake adapter (the AWS SDK), no gateway. `npm run check:bundle` bundles this entry
 * for `platform: 'browser'` and fails on any Node built-in, so it stays that way. `deltaId`
 * hashes with `@noble/hashes` here (the `#sha256` package import), giving the same ids as Node.
 */

export { SHA256_IMPLEMENTATION } from '#sha256';
export * from './client';
export {
  asTabMessage,
  broadcastTabChannel,
  MemoryChannelHub,
  type TabChannel,
  type TabMessage,
} from './client/tab-channel';
export { FloorClock } from './client/tab-clock';
export {
  MemoryLockHub,
  MemoryTabLocks,
  TAB_LOCK_FAILED,
  type TabLocks,
  webTabLocks,
} from './client/tab-locks';
export { resetOrphans } from './client/tab-orphans';
export { RoundLoop, type RoundLoopTiming } from './client/tab-round-loop';
export {
  stampLock,
  syncLock,
  type TabRoundReport,
  TabSession,
  type TabSessionDeps,
  type TabSessionEvent,
  type TabSyncStatus,
} from './client/tab-session';
export * from './conflict';
export * from './delta';
export * from './hlc';
export * from './ports';
export * from './proto';
export * from './queue';
export * from './result';
