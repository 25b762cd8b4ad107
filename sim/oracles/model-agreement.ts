import { diffViews, type RowsView } from './rows-view';

/**
 * Oracle 4, model agreement: the gateway's final rows equal the independent `ReferenceModel`
 * folded from every acknowledged write. Returns one message per difference (bounded).
 */
export function checkModelAgreement(model: RowsView, gateway: RowsView): string[] {
  return diffViews('the reference model', model, 'gateway', gateway, 10);
}
