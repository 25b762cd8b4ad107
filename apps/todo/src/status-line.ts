import type { TabSyncStatus } from '../../../src/browser';
import { describeHlc, type GatewayWatermarks } from './gateway-watch';

/** Everything the status line shows. */
export interface StatusFacts {
  readonly clientId: string;
  readonly browserOnline: boolean;
  readonly sync: TabSyncStatus;
  readonly outboxDepth: number | null;
  readonly marks: GatewayWatermarks;
  readonly problem: string | null;
}

/** Online or offline (the browser's word and the last round's), outbox depth, last sync, durable HLC. */
export function renderStatus(footer: HTMLElement, facts: StatusFacts): void {
  const online = facts.browserOnline && facts.sync.online !== false;
  const state = document.createElement('span');
  state.className = online ? 'online' : 'offline';
  state.dataset.state = online ? 'online' : 'offline';
  state.textContent = online ? '● online' : '○ offline';
  const lastSync =
    facts.sync.lastSyncMs === null
      ? 'never'
      : new Date(facts.sync.lastSyncMs).toISOString().slice(11, 19);
  const parts = [
    state,
    span('outbox', `outbox ${facts.outboxDepth ?? '?'}`),
    span('last-sync', `last sync ${lastSync}`),
    span('durable', `durable HLC ${describeHlc(facts.marks.durableHlc)}`),
    span('client', `client ${facts.clientId}`),
  ];
  const problem = facts.problem ?? facts.sync.lastError?.message ?? null;
  if (problem !== null) parts.push(span('problem', problem.slice(0, 120)));
  footer.replaceChildren(...parts);
}

function span(className: string, text: string): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}
