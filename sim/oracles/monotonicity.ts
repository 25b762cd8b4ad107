import type { LogEntry } from '../../src/gateway/delta-log';
import { describeDelta, describeHlc } from './describe';

/**
 * Oracle 5, monotonicity: each client's successive write HLCs strictly increase (across its
 * restarts too: the outbox remembers the last one), and the gateway's log ingest HLCs strictly
 * increase. Methods return a message on a violation, `null` otherwise.
 */
export class MonotonicityWatch {
  readonly #lastWriteHlc = new Map<number, bigint>();

  /** Checks a new write of `client` against its previous one. */
  write(client: number, hlc: bigint, describe: () => string): string | null {
    const previous = this.#lastWriteHlc.get(client);
    this.#lastWriteHlc.set(client, previous === undefined || hlc > previous ? hlc : previous);
    if (previous === undefined || hlc > previous) return null;
    return `client-${client} wrote ${describe()} with hlc ${describeHlc(hlc)}, not above its previous write's ${describeHlc(previous)}`;
  }

  /** Forgets `client`'s last write: it starts afresh (a reincarnation with a new outbox). */
  forget(client: number): void {
    this.#lastWriteHlc.delete(client);
  }

  /** Checks that a gateway log's ingest HLCs strictly increase; at most one message. */
  gatewayLog(instance: string, entries: readonly LogEntry[]): string | null {
    for (let index = 1; index < entries.length; index++) {
      const previous = entries[index - 1] as LogEntry;
      const entry = entries[index] as LogEntry;
      if (entry.ingestHlc <= previous.ingestHlc) {
        return (
          `${instance} log entry #${index} ${describeDelta(entry.delta)} has ingest hlc ` +
          `${describeHlc(entry.ingestHlc)}, not above the previous entry's ${describeHlc(previous.ingestHlc)}`
        );
      }
    }
    return null;
  }
}
