export { applyDelta } from './apply';
export { canonicalJson } from './canonical-json';
export {
  type DeltaFields,
  type DeltaIdFields,
  deltaId,
  deltaIdInput,
  makeDelta,
  withDeltaId,
} from './delta-id';
export { type DeltaContext, extractDelta } from './extract';
export { jsonEqual } from './json-equal';
export { isJsonSafe, JSON_DEPTH_MAX, jsonSafetyProblem } from './json-safe';
export { parseRowKey, rowKey } from './row-key';
export type { ColumnDelta, DeltaOp, Row, RowDelta, RowKey, TableSchema } from './types';
export { DELTA_OPS } from './types';
export {
  DEFAULT_DELTA_LIMITS,
  type DeltaLimits,
  describeDelta,
  TABLE_NAME_PATTERN,
  validateDelta,
} from './validate';
