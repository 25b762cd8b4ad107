export { resolveLWW } from './lww';
export { type ConflictResolver, lwwResolver } from './resolver';
export {
  cloneRowState,
  createRowState,
  isVisible,
  materialise,
  mergeDelta,
  mergeIntoStates,
  mergeRowState,
  rowStatesEqual,
  rowStateToDeltas,
} from './row-state';
export type { ColumnState, RowState, Version } from './types';
export { compareVersionParts, compareVersions, versionOf, versionsEqual } from './version';
