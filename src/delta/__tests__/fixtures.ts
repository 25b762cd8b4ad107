import { HLC } from '../../hlc/hlc';
import type { DeltaContext } from '../extract';

/** A fixed write context for the delta tests. */
export const CONTEXT: DeltaContext = {
  table: 'todos',
  rowId: 'row-1',
  clientId: 'client-a',
  hlc: HLC.encode(1_700_000_000_000, 0),
};
