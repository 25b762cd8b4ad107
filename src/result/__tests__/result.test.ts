import { describe, expect, it } from 'vitest';
import { assert, unreachable } from '../assert';
import {
  AdapterError,
  BackpressureError,
  ClockDriftError,
  CodecError,
  ConflictError,
  FlushError,
  LakeSyncError,
  QueueError,
  SchemaError,
  SequenceGapError,
  TransportError,
} from '../errors';
import {
  Err,
  flatMapResult,
  fromPromise,
  mapResult,
  Ok,
  type Result,
  unwrapOrThrow,
} from '../result';

describe('Result', () => {
  it('Ok and Err carry the right discriminant and payload', () => {
    const ok = Ok(42);
    const err = Err(new SchemaError('bad'));
    expect(ok).toEqual({ ok: true, value: 42 });
    expect(err.ok).toBe(false);
    if (!err.ok) expect(err.error.message).toBe('bad');
  });

  it('mapResult transforms an Ok and passes an Err through untouched', () => {
    const error = new FlushError('down');
    const failed: Result<number, FlushError> = Err(error);
    expect(mapResult(Ok(2), (value) => value * 10)).toEqual(Ok(20));
    const mapped = mapResult(failed, (value) => value * 10);
    expect(mapped.ok).toBe(false);
    if (!mapped.ok) expect(mapped.error).toBe(error);
  });

  it('flatMapResult chains Ok steps and stops at the first Err', () => {
    const half = (value: number): Result<number, SchemaError> =>
      value % 2 === 0 ? Ok(value / 2) : Err(new SchemaError(`${value} is odd`));
    expect(flatMapResult(Ok(8), half)).toEqual(Ok(4));
    const chained = flatMapResult(flatMapResult(Ok(6), half), half);
    expect(chained.ok).toBe(false);
    if (!chained.ok) expect(chained.error.message).toBe('3 is odd');
  });

  it('unwrapOrThrow returns the value of an Ok and throws the error of an Err', () => {
    expect(unwrapOrThrow(Ok('x'))).toBe('x');
    const error = new ConflictError('rows differ');
    expect(() => unwrapOrThrow(Err(error))).toThrow(error);
    expect(() => unwrapOrThrow(Err('plain'))).toThrow(/unwrapOrThrow on Err: plain/);
  });

  it('fromPromise turns a resolution into Ok and a rejection into Err', async () => {
    expect(await fromPromise(Promise.resolve(7))).toEqual(Ok(7));
    const rejected = await fromPromise(Promise.reject(new Error('boom')));
    expect(rejected.ok).toBe(false);
    if (!rejected.ok) expect(rejected.error.message).toBe('boom');
    const rejectedWithString = await fromPromise(Promise.reject('no error object'));
    expect(rejectedWithString.ok).toBe(false);
    if (!rejectedWithString.ok) {
      expect(rejectedWithString.error).toBeInstanceOf(Error);
      expect(rejectedWithString.error.message).toBe('no error object');
    }
  });

  it('every error class is a LakeSyncError and an Error with its own name', () => {
    const errors = [
      new ClockDriftError('m'),
      new ConflictError('m'),
      new FlushError('m'),
      new SchemaError('m'),
      new AdapterError('m'),
      new CodecError('m'),
      new TransportError('m'),
      new QueueError('m'),
      new BackpressureError('m'),
      new SequenceGapError('m'),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(LakeSyncError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  it('error codes are the documented strings', () => {
    expect(new ClockDriftError('m').code).toBe('CLOCK_DRIFT');
    expect(new ConflictError('m').code).toBe('CONFLICT');
    expect(new FlushError('m').code).toBe('FLUSH_FAILED');
    expect(new SchemaError('m').code).toBe('SCHEMA_MISMATCH');
    expect(new AdapterError('m').code).toBe('ADAPTER_ERROR');
    expect(new CodecError('m').code).toBe('CODEC_ERROR');
    expect(new TransportError('m').code).toBe('TRANSPORT_ERROR');
    expect(new QueueError('m').code).toBe('QUEUE_ERROR');
    expect(new BackpressureError('m').code).toBe('BACKPRESSURE');
    expect(new SequenceGapError('m').code).toBe('SEQUENCE_GAP');
  });

  it('keeps the cause of an error when given, and omits it otherwise', () => {
    const cause = new Error('socket reset');
    expect(new AdapterError('put failed', cause).cause).toBe(cause);
    expect(new AdapterError('put failed').cause).toBeUndefined();
  });

  it('assert throws on a false condition and unreachable always throws', () => {
    expect(() => assert(true, 'fine')).not.toThrow();
    expect(() => assert(false, 'broken')).toThrow('invariant violated: broken');
    expect(() => unreachable('x' as never, 'no such op')).toThrow('no such op: x');
  });
});
