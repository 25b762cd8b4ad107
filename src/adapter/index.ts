/**
 * The lake: object storage behind `LakeAdapter`, with an in-memory implementation for tests and
 * the simulator, an S3 one for real stores, and the safe construction of object keys.
 */
export { guardAdapter } from './guarded-adapter';
export { MemoryAdapter, type MemoryAdapterDeps } from './memory-adapter';
export {
  ENVELOPE_KEY_PREFIX,
  type EnvelopeKeyParts,
  envelopeKey,
  KEY_PART_LENGTH_MAX,
  parseEnvelopeKey,
  validateGatewayId,
  validateKeyDate,
  validateKeyPart,
} from './object-key';
export {
  DELETE_BATCH_KEYS_MAX,
  LIST_PAGES_MAX,
  S3Adapter,
  type S3AdapterOptions,
} from './s3-adapter';
export type { AdapterConfig, LakeAdapter, ObjectInfo } from './types';
