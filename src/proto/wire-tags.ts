/**
 * The field tags of `lakesync.proto` as the hand-written codec uses them: `(field << 3) | wireType`,
 * the varint that starts every field. Wire types: 0 varint, 1 fixed 64-bit, 2 length-delimited.
 * A property test checks the hand codec against the generated schema, so a tag that drifts from
 * the `.proto` fails CI.
 */

const VARINT = 0;
const I64 = 1;
const LEN = 2;

const tag = (field: number, wireType: number): number => (field << 3) | wireType;

/** Tags by field number and wire type, shared by every message (field numbers are per message). */
export const T = Object.freeze({
  f1Varint: tag(1, VARINT),
  f1Len: tag(1, LEN),
  f2Len: tag(2, LEN),
  f2I64: tag(2, I64),
  f3Len: tag(3, LEN),
  f3Varint: tag(3, VARINT),
  f3I64: tag(3, I64),
  f4Len: tag(4, LEN),
  f4I64: tag(4, I64),
  f5I64: tag(5, I64),
  f5Varint: tag(5, VARINT),
  f6Len: tag(6, LEN),
  f7Len: tag(7, LEN),
  f7I64: tag(7, I64),
  f8I64: tag(8, I64),
  f9I64: tag(9, I64),
  f10Varint: tag(10, VARINT),
  f11Len: tag(11, LEN),
  f12Varint: tag(12, VARINT),
});

/** The messages of `lakesync.v1`. */
export type WireMessageName =
  | 'ColumnDelta'
  | 'RowDelta'
  | 'SyncPush'
  | 'SyncPull'
  | 'SyncResponse'
  | 'ErrorReply';

/**
 * The highest field number each message knows. Numbers above it are unknown (a newer peer's
 * additions) and are skipped; numbers at or below it are known (every message numbers its fields
 * densely from 1).
 */
export const FIELDS_MAX: Readonly<Record<WireMessageName, number>> = Object.freeze({
  ColumnDelta: 2,
  RowDelta: 7,
  SyncPush: 4,
  SyncPull: 5,
  SyncResponse: 12,
  ErrorReply: 2,
});
