/**
 * Upper bounds the decoders enforce before they trust a message. Every bound is checked while
 * decoding, so hostile bytes cannot make a decoder allocate more than a small multiple of
 * `messageBytesMax`. The encoders do not enforce them: the gateway and the client validate what
 * they send; a peer that decodes with lower limits refuses the message with a `CodecError`.
 */
export interface CodecLimits {
  /** Largest encoded message accepted, in bytes. */
  readonly messageBytesMax: number;
  /** Most deltas one `SyncPush` or `SyncResponse` may carry. */
  readonly deltasMax: number;
  /** Most columns one `RowDelta` may carry. */
  readonly columnsMax: number;
  /** Largest JSON-encoded column value, in UTF-8 bytes. */
  readonly valueBytesMax: number;
}

/** The limits used when a decoder is given none: 16 MiB, 100 000 deltas, 256 columns, 64 KiB. */
export const DEFAULT_CODEC_LIMITS: CodecLimits = Object.freeze({
  messageBytesMax: 16 * 1024 * 1024,
  deltasMax: 100_000,
  columnsMax: 256,
  valueBytesMax: 64 * 1024,
});

/**
 * Fills the fields `overrides` leaves out with `DEFAULT_CODEC_LIMITS`. Returns the defaults
 * object itself when there is nothing to override, so the common call allocates nothing.
 */
export function resolveCodecLimits(overrides?: Partial<CodecLimits>): CodecLimits {
  if (overrides === undefined) return DEFAULT_CODEC_LIMITS;
  return { ...DEFAULT_CODEC_LIMITS, ...overrides };
}
