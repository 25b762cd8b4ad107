/**
 * The fault kinds the world can inject, as counted in the coverage table (fault kind × phase).
 * Scheduled kinds come from plan events; the rest are drawn per message or per storage call.
 */
export const FAULT_KINDS = [
  'drop',
  'duplicate',
  'reply-loss',
  'partition',
  'offline',
  'clock-skew',
  'clock-jump',
  'gateway-restart',
  'client-restart',
  'storage-put-fail',
  'storage-lost-reply',
  'storage-read-fail',
  'slow-storage',
  'second-loop',
  'reincarnation',
  'outbox-fail',
  'backup-restore',
] as const;

/** One of `FAULT_KINDS`. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Where injected faults are reported: `lane` is `client-<n>`, `gateway` or `lake`, `detail` a short
 * human-readable description. The scenario counts them per phase and samples them onto the timeline.
 */
export type FaultSink = (kind: FaultKind, lane: string, detail: string) => void;
