import { describe, expect, it } from 'vitest';
import { parseArgs, SHRINK_RUNS_MAX_DEFAULT } from '../cli/args';
import { countSeeds, inShard, parseSeedRange, parseShard, seedsOf } from '../cli/seeds';
import { FAULT_PROFILE_NAMES } from '../faults/profiles';

function parsed(argv: string[]) {
  const result = parseArgs(argv);
  if (!result.ok) throw new Error(`expected Ok, got: ${result.error}`);
  return result.value;
}

function problem(argv: string[]): string {
  const result = parseArgs(argv);
  if (result.ok) throw new Error(`expected Err for ${argv.join(' ')}`);
  return result.error;
}

describe('parseArgs', () => {
  it('defaults to one fresh seed with the embedded lake', () => {
    expect(parsed([])).toEqual({
      mode: { kind: 'seed', seed: null },
      jobs: null,
      shard: null,
      clients: null,
      durationMs: null,
      faults: null,
      reportDir: null,
      summaryJson: null,
      quiet: false,
      lake: 'embedded',
      endpoint: null,
      bucket: null,
      shrinkRunsMax: SHRINK_RUNS_MAX_DEFAULT,
    });
  });

  it('reads every option, in both --flag value and --flag=value forms', () => {
    const options = parsed([
      '--seeds=10..20',
      '--jobs',
      '4',
      '--shard',
      '2/3',
      '--clients=5',
      '--duration',
      '2.5',
      '--faults',
      'swarm',
      '--report',
      'out',
      '--quiet',
      '--endpoint',
      'http://localhost:9000',
      '--bucket',
      'b',
      '--shrink-runs',
      '0',
    ]);
    expect(options).toMatchObject({
      mode: { kind: 'seeds', range: { first: 10, last: 20 } },
      jobs: 4,
      shard: { index: 2, count: 3 },
      clients: 5,
      durationMs: 2_500,
      faults: 'swarm',
      reportDir: 'out',
      quiet: true,
      lake: 'embedded',
      endpoint: 'http://localhost:9000',
      bucket: 'b',
      shrinkRunsMax: 0,
    });
  });

  it('reads --seed, --replay, --lake none and --help', () => {
    expect(parsed(['--seed', '42']).mode).toEqual({ kind: 'seed', seed: 42 });
    expect(parsed(['--replay', 'reports/7-min.json']).mode).toEqual({
      kind: 'replay',
      file: 'reports/7-min.json',
    });
    expect(parsed(['--seed', '1', '--lake', 'none']).lake).toBe('none');
    expect(parsed(['--help']).mode).toEqual({ kind: 'help' });
    expect(parsed(['-h']).mode).toEqual({ kind: 'help' });
    expect(problem(['--bogus', '--help'])).toContain('--bogus');
  });

  it('reads --merge with several folders and --summary-json', () => {
    expect(
      parsed(['--merge', 'a', 'b', 'c/d', '--summary-json', 'm.json', '--quiet']),
    ).toMatchObject({
      mode: { kind: 'merge', paths: ['a', 'b', 'c/d'] },
      summaryJson: 'm.json',
      quiet: true,
    });
    expect(parsed(['--merge=a']).mode).toEqual({ kind: 'merge', paths: ['a'] });
    expect(parsed(['--seeds', '1..4', '--summary-json=s.json']).summaryJson).toBe('s.json');
  });

  it('takes a value beginning with a single dash (then judged by the option)', () => {
    expect(problem(['--seed', '-1'])).toBe("--seed: seed must be a non-negative integer, got '-1'");
    expect(parsed(['--report', '-out']).reportDir).toBe('-out');
  });

  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['seed'], "unexpected argument 'seed'"],
    [['--seed'], '--seed needs a value'],
    [['--seed', '--quiet'], '--seed needs a value'],
    [['--seed', '-1'], 'non-negative integer'],
    [['--seed', '1e3'], 'non-negative integer'],
    [['--seed', '0x10'], 'non-negative integer'],
    [['--seed', '99999999999999999999'], 'at most'],
    [['--seed', '1', '--seed', '2'], 'more than once'],
    [['--seed', '1', '--seeds', '1..2'], 'choose one of'],
    [['--seeds', '5'], 'A..B'],
    [['--seeds', '1..2..3'], 'A..B'],
    [['--seeds', '9..3'], 'must not be empty'],
    [['--seeds', 'a..3'], 'bad start'],
    [['--seeds', '1..10', '--shard', '0/4'], '1-based'],
    [['--seeds', '1..10', '--shard', '5/4'], '1-based'],
    [['--seeds', '1..10', '--shard', '1/0'], 'shard count'],
    [['--seeds', '1..10', '--shard', '1-4'], 'i/n'],
    [['--seed', '1', '--shard', '1/2'], '--shard only applies'],
    [['--seed', '1', '--jobs', '2'], '--jobs only applies'],
    [['--seeds', '1..2', '--jobs', '0'], '--jobs must be an integer'],
    [['--clients', '0'], '--clients must be an integer'],
    [['--clients', '2.5'], '--clients must be an integer'],
    [['--duration', '0'], '--duration'],
    [['--duration', '-3'], '--duration'],
    [['--duration', 'ten'], '--duration'],
    [['--faults', 'loud'], `--faults must be one of ${FAULT_PROFILE_NAMES.join('|')}, got 'loud'`],
    [['-x'], "unknown option '-x'"],
    [['--bogus=3'], "unknown option '--bogus'"],
    [['--', '--seed', '1'], "unexpected argument '--'"],
    [['--help=1'], 'takes no value'],
    [['--merge'], '--merge needs a value'],
    [['--merge', 'a', '--seeds', '1..2'], 'choose one of'],
    [['--merge', 'a', '--faults', 'chaos'], 'cannot apply to --merge'],
    [['--seed', '1', '--summary-json', 's.json'], '--summary-json only applies'],
    [['--seed', '1', 'extra'], "unexpected argument 'extra'"],
    [['--lake', 'minio'], '--lake must be embedded or none'],
    [['--lake', 'none', '--endpoint', 'http://x'], '--lake none'],
    [['--bucket', 'b'], '--bucket needs --endpoint'],
    [['--endpoint', 'localhost:9000'], 'http(s) URL'],
    [['--replay', 'p.json', '--clients', '3'], 'cannot change a replayed plan'],
    [['--quiet=yes'], 'takes no value'],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(problem(argv)).toContain(message);
  });
});

describe('seed ranges and shards', () => {
  it('parses inclusive ranges', () => {
    expect(parseSeedRange('0..0')).toEqual({ ok: true, value: { first: 0, last: 0 } });
    expect(parseSeedRange('1..1000')).toEqual({ ok: true, value: { first: 1, last: 1000 } });
    expect(parseShard('3/8')).toEqual({ ok: true, value: { index: 3, count: 8 } });
  });

  it('gives seed s to shard (s mod n) + 1', () => {
    expect([...seedsOf({ first: 1, last: 10 }, { index: 1, count: 3 })]).toEqual([3, 6, 9]);
    expect([...seedsOf({ first: 1, last: 10 }, { index: 2, count: 3 })]).toEqual([1, 4, 7, 10]);
    expect([...seedsOf({ first: 1, last: 10 }, { index: 3, count: 3 })]).toEqual([2, 5, 8]);
    expect([...seedsOf({ first: 5, last: 7 }, null)]).toEqual([5, 6, 7]);
    expect(inShard(9, { index: 1, count: 3 })).toBe(true);
    expect(inShard(9, { index: 2, count: 3 })).toBe(false);
  });

  it('splits any range into disjoint shards that cover it, and counts them without iterating', () => {
    for (const [first, last, count] of [
      [0, 0, 1],
      [0, 99, 7],
      [13, 14, 5],
      [1_000_003, 1_000_100, 4],
    ] as const) {
      const range = { first, last };
      const seen: number[] = [];
      for (let index = 1; index <= count; index++) {
        const shard = { index, count };
        const seeds = [...seedsOf(range, shard)];
        expect(countSeeds(range, shard)).toBe(seeds.length);
        expect(seeds.every((seed) => seed % count === index - 1)).toBe(true);
        seen.push(...seeds);
      }
      expect(seen.sort((a, b) => a - b)).toEqual(
        Array.from({ length: last - first + 1 }, (_, i) => first + i),
      );
    }
  });

  it('yields a huge range lazily', () => {
    const seeds = seedsOf({ first: 0, last: Number.MAX_SAFE_INTEGER }, { index: 2, count: 10 });
    expect(seeds.next().value).toBe(1);
    expect(seeds.next().value).toBe(11);
    expect(countSeeds({ first: 0, last: 9_999_999_999 }, null)).toBe(10_000_000_000);
  });
});
