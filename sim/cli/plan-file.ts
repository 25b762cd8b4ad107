import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Err, Ok, type Result } from '../../src/result/result';
import { FAULT_PROFILE_NAMES } from '../faults/profiles';
import { FAULT_RATE_KEYS, OPTIONAL_FAULT_RATE_KEYS } from '../shrink/fault-rate-keys';
import type { FaultProfileName, Plan, PlanEvent } from '../types';

/** Largest plan file read by `--replay`, in bytes. */
export const PLAN_FILE_BYTES_MAX = 256 * 1024 * 1024;

const PROFILES: readonly FaultProfileName[] = FAULT_PROFILE_NAMES;
const WRITE_OPS = ['insert', 'update', 'delete'];
const DIRECTIONS = ['both', 'to-gateway', 'from-gateway'];

type Fields = Record<string, unknown>;

/** Serialises a plan as stable, readable JSON (two-space indent, trailing newline). */
export function serialisePlan(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Writes `plan` to `path`, creating the folder. Never throws. */
export function writePlanFile(path: string, plan: Plan): Result<void, string> {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, serialisePlan(plan));
    return Ok(undefined);
  } catch (caught) {
    return Err(
      `cannot write the plan to ${path}: ${caught instanceof Error ? caught.message : String(caught)}`,
    );
  }
}

/** Reads and checks a plan file (see `parsePlan`). Never throws. */
export function readPlanFile(path: string): Result<Plan, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (caught) {
    return Err(
      `cannot read the plan ${path}: ${caught instanceof Error ? caught.message : String(caught)}`,
    );
  }
  if (text.length > PLAN_FILE_BYTES_MAX)
    return Err(`plan ${path} is larger than ${PLAN_FILE_BYTES_MAX} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (caught) {
    return Err(
      `plan ${path} is not JSON: ${caught instanceof Error ? caught.message : String(caught)}`,
    );
  }
  const plan = parsePlan(parsed);
  return plan.ok ? plan : Err(`plan ${path} is not a valid plan: ${plan.error}`);
}

/**
 * Checks that `value` is a runnable plan: version 1, a seed, a complete config (every fault rate a
 * finite non-negative number), and events of known kinds, sorted by `atMs`, whose client indices
 * are within `0 .. clients - 1`. The first problem found is the `Err`, naming the event's position.
 */
export function parsePlan(value: unknown): Result<Plan, string> {
  if (!isFields(value)) return Err('not a JSON object');
  if (value.version !== 1)
    return Err(`unsupported version ${JSON.stringify(value.version)} (expected 1)`);
  if (!isCount(value.seed)) return Err('seed must be a non-negative integer');
  const config = value.config;
  if (!isFields(config)) return Err('config is missing');
  const configProblem = checkConfig(config, value.seed);
  if (configProblem !== null) return Err(`config: ${configProblem}`);
  if (!Array.isArray(value.events)) return Err('events must be an array');
  const clients = config.clients as number;
  let previousMs = 0;
  for (let position = 0; position < value.events.length; position++) {
    const event: unknown = value.events[position];
    const problem = checkEvent(event, clients);
    if (problem !== null) return Err(`events[${position}]: ${problem}`);
    const atMs = (event as Fields).atMs as number;
    if (atMs < previousMs) return Err(`events[${position}]: events must be sorted by atMs`);
    previousMs = atMs;
  }
  return Ok(value as unknown as Plan);
}

function checkConfig(config: Fields, seed: number): string | null {
  if (config.seed !== seed) return 'config.seed must equal the plan seed';
  if (!isCount(config.clients) || config.clients < 1) return 'clients must be a positive integer';
  if (!Array.isArray(config.tables) || !config.tables.every((table) => typeof table === 'string')) {
    return 'tables must be a list of names';
  }
  for (const key of [
    'rowsPerTable',
    'hotRows',
    'durationMs',
    'healMs',
    'writesPerClientPerSecond',
  ]) {
    if (!isNonNegative(config[key])) return `${key} must be a non-negative number`;
  }
  if (!PROFILES.includes(config.faultProfile as FaultProfileName)) {
    return `faultProfile must be one of ${PROFILES.join('|')}`;
  }
  const faults = config.faults;
  if (!isFields(faults)) return 'faults is missing';
  for (const key of FAULT_RATE_KEYS) {
    if (!isNonNegative(faults[key])) return `faults.${key} must be a non-negative number`;
  }
  for (const key of OPTIONAL_FAULT_RATE_KEYS) {
    if (faults[key] !== undefined && !isNonNegative(faults[key])) {
      return `faults.${key}, when given, must be a non-negative number`;
    }
  }
  return null;
}

function checkEvent(event: unknown, clients: number): string | null {
  if (!isFields(event)) return 'not an object';
  if (!isNonNegative(event.atMs)) return 'atMs must be a non-negative number';
  const client = (field: unknown): boolean => isCount(field) && field < clients;
  switch (event.kind as PlanEvent['kind']) {
    case 'write':
      if (!client(event.client)) return `client must be an index below ${clients}`;
      if (!WRITE_OPS.includes(event.op as string))
        return `op must be one of ${WRITE_OPS.join('|')}`;
      if (typeof event.table !== 'string' || typeof event.rowId !== 'string')
        return 'table and rowId must be strings';
      return isFields(event.values) ? null : 'values must be an object';
    case 'partition':
      if (!Array.isArray(event.clients) || !event.clients.every(client)) {
        return `clients must be indices below ${clients}`;
      }
      if (!DIRECTIONS.includes(event.direction as string))
        return `direction must be one of ${DIRECTIONS.join('|')}`;
      return isNonNegative(event.durationMs) ? null : 'durationMs must be a non-negative number';
    case 'offline':
      if (!client(event.client)) return `client must be an index below ${clients}`;
      return isNonNegative(event.durationMs) ? null : 'durationMs must be a non-negative number';
    case 'clock-skew':
      if (!client(event.client)) return `client must be an index below ${clients}`;
      return isFiniteNumber(event.skewMs) && isFiniteNumber(event.driftPpm)
        ? null
        : 'skewMs and driftPpm must be numbers';
    case 'clock-jump':
      if (!client(event.client)) return `client must be an index below ${clients}`;
      return isFiniteNumber(event.jumpMs) ? null : 'jumpMs must be a number';
    case 'gateway-restart':
      return isNonNegative(event.downMs) ? null : 'downMs must be a non-negative number';
    case 'client-restart':
      if (!client(event.client)) return `client must be an index below ${clients}`;
      return isNonNegative(event.downMs) ? null : 'downMs must be a non-negative number';
    case 'second-loop':
      if (!client(event.client)) return `client must be an index below ${clients}`;
      return isCount(event.durationMs) ? null : 'durationMs must be a non-negative integer';
    case 'reincarnation':
      if (!client(event.client)) return `client must be an index below ${clients}`;
      return isNonNegative(event.downMs) &&
        isNonNegative(event.clockBackMs) &&
        isNonNegative(event.offlineMs)
        ? null
        : 'downMs, clockBackMs and offlineMs must be non-negative numbers';
    case 'backup-restore':
      if (!client(event.client)) return `client must be an index below ${clients}`;
      return isCount(event.restoreAfterMs) &&
        isNonNegative(event.downMs) &&
        isNonNegative(event.offlineMs)
        ? null
        : 'restoreAfterMs must be a non-negative integer, downMs and offlineMs non-negative numbers';
    default:
      return `unknown event kind ${JSON.stringify(event.kind)}`;
  }
}

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isNonNegative(value: unknown): value is number {
  return isFiniteNumber(value) && value >= 0;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
