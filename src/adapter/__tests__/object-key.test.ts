import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../result/errors';
import {
  envelopeKey,
  KEY_PART_LENGTH_MAX,
  parseEnvelopeKey,
  validateGatewayId,
  validateKeyDate,
  validateKeyPart,
} from '../object-key';

const UINT64_MAX = (1n << 64n) - 1n;

describe('validateKeyPart', () => {
  it('accepts ordinary ids', () => {
    for (const part of ['gateway-1', 'gw_A.b', 'ü-ñ', '😀', 'a'.repeat(KEY_PART_LENGTH_MAX)]) {
      expect(validateKeyPart('gatewayId', part)).toEqual({ ok: true, value: part });
    }
  });

  it.each([
    ['empty', '', /empty/],
    ['a slash', 'a/b', /path separator/],
    ['a backslash', 'a\\b', /path separator/],
    ['a parent reference', '..', /relative path/],
    ['a dot-dot inside', 'a..b', /relative path/],
    ['a lone dot', '.', /relative path/],
    ['a NUL', 'a\u0000b', /control character/],
    ['a newline', 'a\nb', /control character/],
    ['DEL', 'a\u007fb', /control character/],
    ['a C1 control', 'a\u0085b', /control character/],
    ['a lone high surrogate', 'a\ud800b', /lone surrogate/],
    ['a lone low surrogate', 'a\udc00', /lone surrogate/],
    ['too long', 'a'.repeat(KEY_PART_LENGTH_MAX + 1), /over 128 characters/],
  ])('refuses %s', (_name, part, pattern) => {
    const result = validateKeyPart('gatewayId', part);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(SchemaError);
    expect(result.error.message).toMatch(/^gatewayId /);
    expect(result.error.message).toMatch(pattern);
  });

  it('validateGatewayId names the part gatewayId', () => {
    const result = validateGatewayId('../etc');
    expect(!result.ok && result.error.message).toMatch(/^gatewayId "..\/etc"/);
  });
});

describe('validateKeyDate', () => {
  it('accepts calendar dates, leap days included', () => {
    for (const date of ['2026-11-25', '2024-02-29', '2000-02-29', '1970-01-01']) {
      expect(validateKeyDate(date).ok).toBe(true);
    }
  });

  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-1-1',
    '26-11-25',
    '2026-11-25T00',
  ])('refuses %s', (date) => {
    expect(validateKeyDate(date).ok).toBe(false);
  });
});

describe('envelopeKey', () => {
  it('builds deltas/{date}/{gatewayId}/{min}-{max}.json with 20-digit HLCs', () => {
    const key = envelopeKey({ gatewayId: 'gw-1', date: '2026-11-25', minHlc: 5n, maxHlc: 1234n });
    expect(key).toEqual({
      ok: true,
      value: 'deltas/2026-11-25/gw-1/00000000000000000005-00000000000000001234.json',
    });
  });

  it('sorts keys in HLC order', () => {
    const hlcs = [0n, 9n, 10n, 99_999n, 1n << 40n, UINT64_MAX];
    const keys = hlcs.map((hlc) => {
      const key = envelopeKey({ gatewayId: 'g', date: '2026-11-25', minHlc: hlc, maxHlc: hlc });
      return key.ok ? key.value : '';
    });
    expect([...keys].sort()).toEqual(keys);
  });

  it('refuses an unsafe gateway id, a bad date, and a bad HLC range', () => {
    const base = { gatewayId: 'g', date: '2026-11-25', minHlc: 1n, maxHlc: 2n };
    expect(envelopeKey({ ...base, gatewayId: 'a/b' }).ok).toBe(false);
    expect(envelopeKey({ ...base, date: '2026-02-30' }).ok).toBe(false);
    const inverted = envelopeKey({ ...base, minHlc: 3n });
    expect(!inverted.ok && inverted.error.message).toMatch(/inverted/);
    const negative = envelopeKey({ ...base, minHlc: -1n });
    expect(!negative.ok && negative.error.message).toMatch(/outside 64 bits/);
    const huge = envelopeKey({ ...base, maxHlc: UINT64_MAX + 1n });
    expect(!huge.ok && huge.error.message).toMatch(/outside 64 bits/);
  });
});

describe('parseEnvelopeKey', () => {
  it('is the exact inverse of envelopeKey', () => {
    const parts = { gatewayId: 'gw-ü', date: '2024-02-29', minHlc: 17n, maxHlc: UINT64_MAX };
    const key = envelopeKey(parts);
    expect(key.ok).toBe(true);
    if (key.ok) expect(parseEnvelopeKey(key.value)).toEqual({ ok: true, value: parts });
  });

  it.each([
    ['another folder', 'other/2026-11-25/g/00000000000000000001-00000000000000000002.json'],
    ['a short HLC', 'deltas/2026-11-25/g/1-2.json'],
    ['a bad date', 'deltas/2026-02-30/g/00000000000000000001-00000000000000000002.json'],
    ['an unsafe id', 'deltas/2026-11-25/../00000000000000000001-00000000000000000002.json'],
    ['an inverted range', 'deltas/2026-11-25/g/00000000000000000003-00000000000000000002.json'],
    ['an HLC over 64 bits', 'deltas/2026-11-25/g/00000000000000000001-99999999999999999999.json'],
    ['a wrong extension', 'deltas/2026-11-25/g/00000000000000000001-00000000000000000002.bin'],
  ])('refuses %s', (_name, key) => {
    const result = parseEnvelopeKey(key);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBeInstanceOf(SchemaError);
  });
});
