export {
  type FetchLike,
  type FetchReply,
  HttpTransport,
  type HttpTransportOptions,
} from './http-transport';
export { type ClientOptions, DEFAULT_CLIENT_OPTIONS, resolveClientOptions } from './options';
export { Replica } from './replica';
export type { ReplicaEvent, ReplicaSource } from './replica-event';
export { rowVersionMax } from './row-version';
export { type ClientDeps, type ClientStats, SyncClient, type SyncRoundReport } from './sync-client';
export type { PullPosition } from './sync-round';
