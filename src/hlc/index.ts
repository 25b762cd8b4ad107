export { HLC, type HLCOptions } from './hlc';
export type { HLCTimestamp } from './types';
