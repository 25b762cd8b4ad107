export { type ClientOptions, DEFAULT_CLIENT_OPTIONS, resolveClientOptions } from './options';
export { Replica } from './replica';
export { type ClientDeps, type ClientStats, SyncClient, type SyncRoundReport } from './sync-client';
export type { PullPosition } from './sync-round';
