import { diffViews, type RowsView } from './rows-view';

/** A named view of one replica. */
export interface NamedView {
  readonly name: string;
  readonly view: RowsView;
}

/**
 * Oracle 1, convergence: every client shows exactly what the gateway's index shows, and folding
 * the lake's envelopes gives the same again. Returns one message per difference (bounded per
 * pair), empty when all agree.
 */
export function checkConvergence(
  gateway: RowsView,
  lake: RowsView,
  clients: readonly NamedView[],
): string[] {
  const messages = diffViews('gateway', gateway, 'lake', lake);
  for (const client of clients) {
    for (const difference of diffViews('gateway', gateway, client.name, client.view, 3)) {
      messages.push(difference);
    }
  }
  return messages;
}
