import { decodeSyncResponse, HLC, type HLCTimestamp, type Transport } from '../../../src/browser';

/** What the gateway last said about durability, read from its replies. */
export interface GatewayWatermarks {
  /** Every delta the gateway ingested at or below this ingest HLC is in the lake. */
  durableHlc: HLCTimestamp | null;
  /** This client's newest delta that is in the lake. */
  clientDurableHlc: HLCTimestamp | null;
}

/**
 * Wraps a transport to read the watermarks off every reply on its way to the client (the reply
 * bytes pass through untouched), for the status line.
 */
export function watchGateway(inner: Transport): { transport: Transport; marks: GatewayWatermarks } {
  const marks: GatewayWatermarks = { durableHlc: null, clientDurableHlc: null };
  const observe = (bytes: Uint8Array): void => {
    const decoded = decodeSyncResponse(bytes);
    if (!decoded.ok || decoded.value.error !== null) return;
    marks.durableHlc = decoded.value.durableHlc;
    marks.clientDurableHlc = decoded.value.clientDurableHlc;
  };
  const transport: Transport = {
    async push(request) {
      const reply = await inner.push(request);
      if (reply.ok) observe(reply.value);
      return reply;
    },
    async pull(request) {
      const reply = await inner.pull(request);
      if (reply.ok) observe(reply.value);
      return reply;
    },
  };
  return { transport, marks };
}

/** An HLC for people: its wall time (UTC, to the ms) and counter; `—` for none or zero. */
export function describeHlc(hlc: HLCTimestamp | null): string {
  if (hlc === null || hlc === HLC.ZERO) return '—';
  const { wall, counter } = HLC.decode(hlc);
  const time = new Date(wall).toISOString().slice(11, 23);
  return counter === 0 ? time : `${time} +${counter}`;
}
