/**
 * A hybrid logical clock reading: 64 bits laid out as `[48-bit wall ms][16-bit counter]`, carried
 * as a branded bigint so that an arbitrary bigint cannot be passed where a timestamp is expected.
 */
export type HLCTimestamp = bigint & { readonly __brand: 'HLCTimestamp' };
