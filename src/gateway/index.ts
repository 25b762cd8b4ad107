export { DeltaBuffer, estimateDeltaBytes } from './delta-buffer';
export { DeltaLog, type LogEntry } from './delta-log';
export { decodeEnvelope, ENVELOPE_PREFIX, encodeEnvelope, type FlushEnvelope } from './envelope';
export type { FlushCounters, FlushOutcome } from './flush-cycle';
export { type GatewayDeps, type GatewayStats, SyncGateway } from './gateway';
export { createInProcessTransport } from './in-process-transport';
export { DEFAULT_GATEWAY_OPTIONS, type GatewayOptions, resolveGatewayOptions } from './options';
export { recoverFromLake } from './recovery';
export { createWireHandler, type WireHandler } from './wire-handler';
