import { decodeSyncPush, encodeSyncPush } from '../../src/proto/codec';
import { forgetInternedTexts } from '../../src/proto/text-intern';
import type { SyncPush } from '../../src/proto/types';
import { generateDeltas, workload } from '../lib/inputs';
import { consume, measurePair } from '../lib/measure';
import { atLeast, atMost, rowFromQuantities } from '../lib/stats';
import type { Suite } from '../lib/suite';

const DELTAS_PER_PUSH = 1_000;
const DELTAS_PER_PUSH_QUICK = 100;
const MESSAGES_PER_SAMPLE = 4;

/** The push as JSON carries it: the same fields, every bigint HLC as a decimal string. */
export function jsonShapeOfPush(push: SyncPush): unknown {
  return {
    clientId: push.clientId,
    lastSeenHlc: push.lastSeenHlc.toString(),
    baseHlc: push.baseHlc.toString(),
    deltas: push.deltas.map((delta) => ({
      op: delta.op,
      table: delta.table,
      rowId: delta.rowId,
      clientId: delta.clientId,
      columns: delta.columns.map(({ column, value }) => ({ column, value })),
      hlc: delta.hlc.toString(),
      deltaId: delta.deltaId,
    })),
  };
}

/**
 * The protobuf codec on a 1,000-delta `SyncPush` against `JSON.stringify`/`JSON.parse` of the same
 * data with HLCs as strings (the JSON side gets its strings ready-made and does not revive
 * bigints; that is the floor a JSON wire format would pay). Also compares the sizes: protobuf
 * bytes against the UTF-8 length of the JSON text.
 */
export const codecSuite: Suite = {
  id: 'codec',
  title: 'Wire codec',
  async run(context) {
    const count = context.quick ? DELTAS_PER_PUSH_QUICK : DELTAS_PER_PUSH;
    const deltas = generateDeltas(workload({ seed: 'bench/codec', count, clients: 1 }));
    const push: SyncPush = {
      clientId: 'client-0',
      deltas,
      lastSeenHlc: deltas[0]!.hlc,
      baseHlc: deltas[0]!.hlc,
    };
    const bytes = encodeSyncPush(push);
    const decoded = decodeSyncPush(bytes);
    if (!decoded.ok)
      throw new Error(`codec: the seeded push does not decode: ${decoded.error.message}`);
    if (decoded.value.deltas.length !== count) throw new Error('codec: round trip lost deltas');
    const shape = jsonShapeOfPush(push);
    const text = JSON.stringify(shape);
    const jsonBytes = new TextEncoder().encode(text).length;
    const size = count.toLocaleString('en-GB');
    const note = `One SyncPush of ${size} deltas (two small columns each), ${MESSAGES_PER_SAMPLE} messages per sample.`;
    const encode = await measurePair(
      {
        label: 'encodeSyncPush',
        opsPerSample: MESSAGES_PER_SAMPLE,
        run: () => {
          for (let round = 0; round < MESSAGES_PER_SAMPLE; round++) consume(encodeSyncPush(push));
        },
      },
      {
        label: 'JSON.stringify',
        opsPerSample: MESSAGES_PER_SAMPLE,
        run: () => {
          for (let round = 0; round < MESSAGES_PER_SAMPLE; round++) consume(JSON.stringify(shape));
        },
      },
      context.budget,
    );
    const decode = await measurePair(
      {
        label: 'decodeSyncPush',
        opsPerSample: MESSAGES_PER_SAMPLE,
        run: () => {
          for (let round = 0; round < MESSAGES_PER_SAMPLE; round++) consume(decodeSyncPush(bytes));
        },
      },
      {
        label: 'JSON.parse',
        opsPerSample: MESSAGES_PER_SAMPLE,
        run: () => {
          for (let round = 0; round < MESSAGES_PER_SAMPLE; round++) consume(JSON.parse(text));
        },
      },
      context.budget,
    );
    // The same message decoded again finds its texts in the intern table (as a client does for
    // the table and column names, client ids and values it keeps seeing); this pair empties the
    // table before every message, so each is decoded as if for the first time.
    const coldDecode = await measurePair(
      {
        label: 'decodeSyncPush, texts not interned',
        opsPerSample: MESSAGES_PER_SAMPLE,
        run: () => {
          for (let round = 0; round < MESSAGES_PER_SAMPLE; round++) {
            forgetInternedTexts();
            consume(decodeSyncPush(bytes));
          }
        },
      },
      {
        label: 'JSON.parse',
        opsPerSample: MESSAGES_PER_SAMPLE,
        run: () => {
          for (let round = 0; round < MESSAGES_PER_SAMPLE; round++) consume(JSON.parse(text));
        },
      },
      context.budget,
    );
    return {
      rows: [
        rowFromQuantities({
          id: 'codec.encode',
          suite: this.id,
          title: `encodeSyncPush (${size} deltas)`,
          ...encode,
          ratioText: 'encode rate ÷ JSON.stringify rate',
          target: atLeast(0.5, '≥ 0.5 × JSON speed'),
          note,
        }),
        rowFromQuantities({
          id: 'codec.decode',
          suite: this.id,
          title: `decodeSyncPush (${size} deltas)`,
          ...decode,
          ratioText: 'decode rate ÷ JSON.parse rate',
          target: atLeast(0.5, '≥ 0.5 × JSON speed'),
          note: `${note} The same message is decoded in every sample, so its short texts come from the decoder's intern table, as the names, ids and values a client keeps seeing do; the first-sight row below empties the table first.`,
        }),
        rowFromQuantities({
          id: 'codec.decode-cold',
          suite: this.id,
          title: `decodeSyncPush, first sight (${size} deltas)`,
          ...coldDecode,
          ratioText: 'decode rate ÷ JSON.parse rate',
          target: atLeast(0.5, '≥ 0.5 × JSON speed'),
          note: `${note} The intern table is emptied before every message: no text has been seen before.`,
        }),
        rowFromQuantities({
          id: 'codec.bytes',
          suite: this.id,
          title: `SyncPush size (${size} deltas)`,
          subject: { label: 'protobuf', value: bytes.length, unit: 'B' },
          baseline: { label: 'JSON (UTF-8)', value: jsonBytes, unit: 'B' },
          ratioText: 'protobuf bytes ÷ JSON bytes',
          target: atMost(0.6, '≤ 0.6 × JSON bytes'),
          note: 'Sizes are exact, not timed.',
        }),
      ],
    };
  },
};
