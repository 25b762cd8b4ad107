import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../report/escape';
import { eventFilterCss, indexEvents } from '../report/event-list';
import { assignMarks, groupOf, MARK_GROUPS, markSvg, shapePath } from '../report/event-marks';
import { renderRunReport, runResultJson } from '../report/html-report';
import { renderMergedReport } from '../report/merge-html';
import { oracleNames, oracleTally } from '../report/oracle-catalogue';
import { groupDigits, summaryRows } from '../report/summary-rows';
import { faultBands, phaseScale, TIMELINE_MARKS_MAX } from '../report/timeline-svg';
import { writeRunReport } from '../report/write-report';
import type { FaultRates, OracleName, Plan, RunResult, TimelineEvent } from '../types';

const RATES: FaultRates = {
  dropProbability: 0.1,
  duplicateProbability: 0.2,
  replyLossProbability: 0.05,
  latencyMsMin: 5,
  latencyMsMax: 80,
  storagePutFailProbability: 0.1,
  storageLostReplyProbability: 0.05,
  storageLatencyMsMin: 2,
  storageLatencyMsMax: 200,
  partitionsPerRun: 2,
  clockSkewsPerRun: 2,
  clockJumpsPerRun: 1,
  gatewayRestartsPerRun: 1,
  clientRestartsPerRun: 1,
  offlinePeriodsPerRun: 1,
  clockSkewMsMax: 8_000,
  clockDriftPpmMax: 200,
};

const SCRIPT = '<script>alert("x")</script>';

function sampleResult(overrides: Partial<RunResult> = {}, timeline?: TimelineEvent[]): RunResult {
  const plan: Plan = {
    version: 1,
    seed: 7,
    config: {
      seed: 7,
      clients: 2,
      tables: ['todos', `t${SCRIPT}`],
      rowsPerTable: 10,
      hotRows: 2,
      durationMs: 10_000,
      healMs: 5_000,
      writesPerClientPerSecond: 2,
      faultProfile: 'default',
      faults: RATES,
    },
    events: [
      {
        kind: 'write',
        atMs: 100,
        client: 0,
        op: 'insert',
        table: 'todos',
        rowId: 'r1',
        values: { a: 1 },
      },
      { kind: 'partition', atMs: 2_000, durationMs: 1_500, clients: [1], direction: 'both' },
      { kind: 'gateway-restart', atMs: 4_000, downMs: 300 },
      { kind: 'clock-jump', atMs: 5_000, client: 0, jumpMs: -2_000 },
    ],
  };
  return {
    ok: false,
    plan,
    violations: [
      { oracle: 'convergence', message: `client-1 differs at todos/r1 ${SCRIPT}`, atMs: 15_000 },
    ],
    traceHash: 'ab12cd34',
    stats: {
      clients: 2,
      ops: 1234567,
      deltasPushed: 1200,
      deltasPulled: 2400,
      messagesSent: 5000,
      duplicatesDelivered: 37,
      messagesDropped: 12,
      repliesLost: 5,
      partitions: 1,
      gatewayRestarts: 1,
      clientRestarts: 0,
      clockSkewMsMax: 2000,
      flushes: 9,
      flushFailures: 2,
      lakeObjects: 7,
      virtualMs: 15_000,
      wallMs: 412,
      virtualMsPerWallMs: 36.41,
    },
    timeline: timeline ?? [
      { atMs: 100, lane: 'client-0', kind: 'write', detail: 'insert todos/r1' },
      { atMs: 2_000, lane: 'faults', kind: 'partition', detail: 'client-1 cut' },
      { atMs: 3_000, lane: 'gateway', kind: `push${SCRIPT}`, detail: SCRIPT },
      { atMs: 9_000, lane: 'lake', kind: 'flush', detail: 'deltas/2024-01-01/g/1-2.json' },
    ],
    coverage: { partition: { fault: 1, heal: 0 }, 'gateway-restart': { fault: 1, heal: 0 } },
    lakeObjects: new Map([['deltas/a.json', new Uint8Array([1, 2, 3])]]),
    ...overrides,
  };
}

const VOID_ELEMENTS = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);

/** A small well-formedness check: every opened tag closes, in order. */
function unbalancedTags(html: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  for (const match of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name = '', selfClosing] = match;
    const tag = name.toLowerCase();
    if (selfClosing === '/' || VOID_ELEMENTS.has(tag)) continue;
    if (closing === '') {
      stack.push(tag);
    } else if (stack.pop() !== tag) {
      problems.push(`unexpected </${tag}>`);
    }
  }
  return [...problems, ...stack.map((tag) => `unclosed <${tag}>`)];
}

describe('escapeHtml', () => {
  it('escapes markup, quotes and unprintable characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    expect(escapeHtml('a\u0000b\ud800c\u{1f600}\n')).toBe('a\ufffdb\ufffdc\u{1f600}\n');
  });
});

describe('renderRunReport', () => {
  const html = renderRunReport({
    result: sampleResult(),
    replayCommand: 'bun run sim --replay reports/7-min.json',
    lakeChecked: false,
  });

  it('contains every section', () => {
    for (const id of [
      'parameters',
      'fault-rates',
      'timeline',
      'oracles',
      'coverage',
      'summary',
      'replay',
    ]) {
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain('trace hash: ab12cd34');
    expect(html).toContain('bun run sim --replay reports/7-min.json');
    expect(html).toContain('storagePutFailProbability');
    expect(html).toContain('<svg');
    expect(html).toContain('class="band partition"');
    expect(html).toContain('class="band restart"');
    expect(html).toContain('1,234,567');
    expect(html).toContain('not checked');
    expect(html).toMatch(/<span class="fail">FAIL<\/span><\/td><th>convergence/);
    expect(html).toMatch(/<span class="pass">pass<\/span><\/td><th>durability/);
  });

  it('escapes every piece of run data: no <script> survives', () => {
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('is well formed and self-contained', () => {
    expect(unbalancedTags(html)).toEqual([]);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).not.toMatch(/<link|@import|url\(/);
  });

  it('is deterministic', () => {
    const again = renderRunReport({
      result: sampleResult(),
      replayCommand: 'bun run sim --replay reports/7-min.json',
      lakeChecked: false,
    });
    expect(again).toBe(html);
  });

  it('caps the marks drawn on a long timeline', () => {
    const timeline = Array.from({ length: TIMELINE_MARKS_MAX * 3 }, (_, index) => ({
      atMs: index,
      lane: `client-${index % 2}`,
      kind: 'write',
      detail: `w${index}`,
    }));
    const long = renderRunReport({
      result: sampleResult({ ok: true, violations: [] }, timeline),
      replayCommand: 'x',
      lakeChecked: true,
    });
    expect((long.match(/class="mark k/g) ?? []).length).toBe(TIMELINE_MARKS_MAX);
    // The event list is not capped: every event the timeline kept is listed.
    expect((long.match(/<tr class="k/g) ?? []).length).toBe(TIMELINE_MARKS_MAX * 3);
    expect(long).toContain('every oracle holds');
    expect(unbalancedTags(long)).toEqual([]);
  });
});

describe('faultBands', () => {
  it('puts each fault on the faults lane and the lanes it touches', () => {
    const bands = faultBands(sampleResult().plan.events);
    expect(bands.map((band) => [band.kind, band.fromMs, band.toMs, band.lanes])).toEqual([
      ['partition', 2_000, 3_500, ['faults', 'client-1']],
      ['restart', 4_000, 4_300, ['faults', 'gateway']],
      ['clock', 5_000, 5_000, ['faults', 'client-0']],
    ]);
  });

  it('ends partitions and offline periods when the heal phase lifts them', () => {
    const bands = faultBands(sampleResult().plan.events, 3_000);
    expect(bands[0]).toMatchObject({ kind: 'partition', toMs: 3_000 });
    expect(bands[1]).toMatchObject({ kind: 'restart', toMs: 4_300 });
  });
});

describe('phaseScale', () => {
  it('gives the fault phase at least 65% of the width and stays monotonic', () => {
    const x = phaseScale(5_000, 65_000);
    expect(x(0)).toBe(0);
    expect(x(5_000)).toBeCloseTo(1_100 * 0.65);
    expect(x(65_000)).toBeCloseTo(1_100);
    expect(x(99_000)).toBeCloseTo(1_100);
    let previous = -1;
    for (let atMs = 0; atMs <= 65_000; atMs += 500) {
      expect(x(atMs)).toBeGreaterThanOrEqual(previous);
      previous = x(atMs);
    }
  });

  it('is proportional when the fault phase is the longer one, and copes with empty phases', () => {
    expect(phaseScale(90_000, 100_000)(90_000)).toBeCloseTo(990);
    expect(phaseScale(0, 100)(50)).toBeCloseTo(550);
    expect(phaseScale(100, 100)(50)).toBeCloseTo(550);
  });
});

describe('summary rows', () => {
  it('formats figures without depending on the locale', () => {
    expect(groupDigits(0)).toBe('0');
    expect(groupDigits(999)).toBe('999');
    expect(groupDigits(1000)).toBe('1,000');
    expect(groupDigits(-1234567.5)).toBe('-1,234,567.5');
    const rows = new Map(summaryRows(sampleResult().stats).map((row) => [row.label, row.value]));
    expect(rows.get('ops')).toBe('1,234,567');
    expect(rows.get('flushes')).toBe('9 (2 failed)');
    expect(rows.get('virtual time')).toBe('15 s');
    expect(rows.get('wall time')).toBe('0.41 s');
    expect(rows.get('virtual ÷ wall time')).toBe('36.4×');
    expect(rows.has('compression')).toBe(false);
    expect(rows.has('settled after heal')).toBe(false);
    const settled = (settledAfterHealMs: number | null) =>
      summaryRows({ ...sampleResult().stats, settledAfterHealMs }).find(
        (row) => row.label === 'settled after heal',
      )?.value;
    expect(settled(7_000)).toBe('7 s');
    expect(settled(null)).toBe('never');
  });
});

describe('writeRunReport', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lakesync-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes <seed>.html and <seed>.json without the lake bytes', () => {
    const written = writeRunReport(join(dir, 'nested'), {
      result: sampleResult(),
      replayCommand: 'x',
      lakeChecked: true,
    });
    expect(written.ok).toBe(true);
    if (!written.ok) return;
    expect(written.value.htmlPath.endsWith('7.html')).toBe(true);
    expect(readFileSync(written.value.htmlPath, 'utf8')).toContain('id="oracles"');
    const json = JSON.parse(readFileSync(written.value.jsonPath, 'utf8')) as Record<
      string,
      unknown
    >;
    expect(json.lakeObjects).toEqual([{ key: 'deltas/a.json', size: 3 }]);
    expect(json.traceHash).toBe('ab12cd34');
    expect(runResultJson(sampleResult())).not.toContain('"0": 1');
  });

  it('returns Err when the folder cannot be created', () => {
    const blocked = writeRunReport(join(dir, 'nested', '7.html', 'below'), {
      result: sampleResult(),
      replayCommand: 'x',
      lakeChecked: true,
    });
    expect(blocked.ok).toBe(false);
  });
});

/** Every event kind the simulator emits today (writes, faults, lifecycle, checks). */
const KINDS_TODAY = [
  'write:insert',
  'write:update',
  'write:delete',
  'write-skipped',
  'write-refused',
  'drop',
  'duplicate',
  'reply-loss',
  'partition',
  'offline',
  'put',
  'storage-put-fail',
  'storage-lost-reply',
  'storage-read-fail',
  'slow-storage',
  'gateway-restart',
  'client-restart',
  'crashed',
  'opened',
  'open-failed',
  'clock-skew',
  'clock-jump',
  'phase',
  'settled',
  'violation:convergence',
  'violation:monotonicity',
];

describe('event marks', () => {
  it('gives each of the 22+ kinds its own (shape, colour), grouped as the legend shows them', () => {
    const marks = assignMarks([...KINDS_TODAY, 'tab-takeover', 'cohort-burst', 'zzz']);
    const pairs = [...marks.values()].map((mark) => `${mark.shape} ${mark.colour}`);
    expect(new Set(pairs).size).toBe(marks.size);
    expect(marks.size).toBe(KINDS_TODAY.length + 3);
    const group = (kind: string) => marks.get(kind)?.group;
    expect(['write:insert', 'write-refused'].map(group)).toEqual(['writes', 'writes']);
    expect(['drop', 'reply-loss', 'partition'].map(group)).toEqual([
      'network',
      'network',
      'network',
    ]);
    expect(['storage-put-fail', 'put'].map(group)).toEqual(['storage', 'storage']);
    expect(['crashed', 'gateway-restart', 'client-restart'].map(group)).toEqual([
      'node lifecycle',
      'node lifecycle',
      'node lifecycle',
    ]);
    expect(['clock-skew', 'clock-jump'].map(group)).toEqual(['clocks', 'clocks']);
    expect(group('violation:convergence')).toBe('checks');
    // The five kinds the old palette drew all in cyan now differ.
    const once = ['crashed', 'gateway-restart', 'reply-loss', 'storage-put-fail', 'write:delete'];
    expect(new Set(once.map((kind) => JSON.stringify(marks.get(kind)))).size).toBe(5);
    expect(groupOf('tab-takeover')).toBe('node lifecycle');
    expect(groupOf('zzz')).toBe('other');
    expect(MARK_GROUPS).toContain(group('zzz'));
  });

  it('is deterministic whatever order the kinds come in', () => {
    const forward = assignMarks(KINDS_TODAY);
    const backward = assignMarks([...KINDS_TODAY].reverse());
    expect([...backward].sort()).toEqual([...forward].sort());
  });

  it('draws well-formed shapes', () => {
    for (const shape of [
      'square',
      'diamond',
      'triangle',
      'plus',
      'cross',
      'star',
      'hexagon',
    ] as const) {
      expect(shapePath(shape, 10, 10, 4)).toMatch(/^M[\d. L-]+Z$/);
    }
    expect(markSvg({ group: 'writes', shape: 'circle', colour: '#123456' }, 1, 2, 3)).toBe(
      '<circle cx="1" cy="2" r="3" fill="#123456"/>',
    );
  });
});

describe('the event list and its filters', () => {
  const timeline: TimelineEvent[] = KINDS_TODAY.map((kind, index) => ({
    atMs: index * 100,
    lane: index % 3 === 0 ? 'gateway' : `client-${index % 2}`,
    kind,
    detail: `d${index}`,
  }));
  const html = renderRunReport({
    result: sampleResult({}, timeline),
    replayCommand: 'npm run sim -- --replay reports/7-min.json',
    lakeChecked: false,
  });

  it('lists every event with its kind and node classes, and a legend grouped by area', () => {
    expect((html.match(/<tr class="k\d+ l\d+">/g) ?? []).length).toBe(timeline.length);
    const titles = [...html.matchAll(/<span class="legend-title">([^<]*)<\/span>/g)].map(
      (match) => match[1],
    );
    expect(titles).toEqual([
      'writes',
      'network',
      'storage',
      'node lifecycle',
      'clocks',
      'checks',
      'node',
    ]);
    expect((html.match(/<input type="checkbox" id="fk\d+" checked\/>/g) ?? []).length).toBe(
      KINDS_TODAY.length,
    );
    expect(html).toContain('<input type="radio" name="lane" id="fl-all" checked/>');
    expect(unbalancedTags(html)).toEqual([]);
    expect(html).not.toContain('<script');
  });

  it('filters by kind and by node with CSS alone', () => {
    const lanes = ['faults', 'gateway', 'lake', 'client-0', 'client-1'];
    const index = indexEvents(timeline, lanes);
    const css = eventFilterCss(index);
    const insert = index.kindClass('write:insert');
    expect(css).toContain(`body:has(#f${insert}:not(:checked)) .${insert} { display: none; }`);
    const client = index.laneClass('client-1');
    expect(css).toContain(
      `body:has(#f${client}:checked) #event-list tbody tr:not(.${client}) { display: none; }`,
    );
    expect(html).toContain(css);
  });

  it('leads a failing report with its first violation and the replay command', () => {
    const failing = renderRunReport({
      result: sampleResult({
        violations: [
          { oracle: 'durability', message: 'delta d9 lost', atMs: 4_000 },
          { oracle: 'convergence', message: 'client-1 differs', atMs: 15_000 },
        ],
      }),
      replayCommand: 'npm run sim -- --replay reports/7-min.json',
      lakeChecked: false,
    });
    const first = failing.indexOf('id="first-violation"');
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(failing.indexOf('id="parameters"'));
    expect(failing).toContain('First violation: durability at 4,000 ms');
    expect(failing.slice(first, failing.indexOf('id="parameters"'))).toContain(
      'npm run sim -- --replay reports/7-min.json',
    );
    // In the oracle table the failing oracles come first, in the order of their violations.
    const durability = failing.indexOf('<th>durability</th>');
    const convergence = failing.indexOf('<th>convergence</th>');
    const idempotency = failing.indexOf('<th>idempotency</th>');
    expect(durability).toBeLessThan(convergence);
    expect(convergence).toBeLessThan(idempotency);
    const passing = renderRunReport({
      result: sampleResult({ ok: true, violations: [] }),
      replayCommand: 'x',
      lakeChecked: false,
    });
    expect(passing).not.toContain('id="first-violation"');
  });
});

describe('oracles and coverage without a fixed list', () => {
  it('lists, counts and describes an oracle the report has never heard of', () => {
    const unknown = 'reads-follow-writes' as OracleName;
    const result = sampleResult({
      violations: [{ oracle: unknown, message: 'client-0 wrote below what it read', atMs: 10 }],
    });
    expect(oracleNames(result)).toContain(unknown);
    expect(oracleTally(result, false).failed).toEqual([unknown]);
    const html = renderRunReport({ result, replayCommand: 'x', lakeChecked: false });
    expect(html).toMatch(/<span class="fail">FAIL<\/span><\/td><th>reads-follow-writes<\/th>/);
    expect(html).toContain('First violation: reads-follow-writes');
  });

  it('shows every coverage entry the engine reports, new kinds included', () => {
    const html = renderRunReport({
      result: sampleResult({
        coverage: { 'tab-takeover': { fault: 0, heal: 0 }, partition: { fault: 2, heal: 0 } },
      }),
      replayCommand: 'x',
      lakeChecked: false,
    });
    expect(html).toContain('<th>tab-takeover</th><td class="num zero">0</td>');
  });

  it('renders a merged report with any oracle and coverage names, escaped', () => {
    const merged = renderMergedReport(
      {
        groups: [
          {
            name: 'faults=chaos clients=default duration=default',
            shards: ['1/2'],
            missingShards: ['2/2'],
            seedsTotal: 10,
            seedsRun: 5,
            passed: 4,
            wallMs: 1_000,
            traceHash: 'abc',
            failures: [
              {
                seed: 3,
                oracle: `x${SCRIPT}`,
                atMs: 5,
                message: 'm',
                command: 'npm run sim -- --replay reports/3-min.json',
              },
            ],
            slowest: { seed: 3, wallMs: 400 },
          },
        ],
        coverage: { 'new-fault': { fault: 0, heal: 1 } },
        failuresByOracle: { [`x${SCRIPT}`]: 1 },
        problems: ['shards 2/2 missing'],
      },
      'merged 1 summaries: 1 of 5 seeds FAIL',
    );
    expect(merged).not.toContain('<script');
    expect(merged).toContain('missing 2/2');
    expect(merged).toContain('<th>new-fault</th><td class="num zero">0</td><td class="num">1</td>');
    expect(unbalancedTags(merged)).toEqual([]);
  });
});
