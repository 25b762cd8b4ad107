/**
 * The wire protocol: `lakesync.proto` (package `lakesync.v1`), its generated schema in `gen/`
 * (committed; regenerate with `npm run proto`) and the codec between it and the core messages.
 * Only the codec is public: the generated classes stay behind it (see `schema-mapping.ts`).
 */
export {
  decodeRowDelta,
  decodeSyncPull,
  decodeSyncPush,
  decodeSyncResponse,
  encodeRowDelta,
  encodeSyncPull,
  encodeSyncPush,
  encodeSyncResponse,
} from './codec';
export { type CodecLimits, DEFAULT_CODEC_LIMITS, resolveCodecLimits } from './limits';
export type { ErrorReply, SyncPull, SyncPush, SyncResponse } from './types';
