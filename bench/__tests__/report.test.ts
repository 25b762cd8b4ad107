import { describe, expect, it } from 'vitest';
import { parseRuntimeReport } from '../lib/child-process';
import { formatRatio } from '../lib/format';
import { renderJson } from '../lib/report-files';
import { renderMarkdown } from '../lib/report-markdown';
import { escapeXml, renderSvg, truncate, xOf } from '../lib/report-svg';
import { heldVerdict, runOutcome } from '../lib/runs';
import type { BenchReport, RunOutcome } from '../lib/types';
import { sampleReport } from './report-fixture';
import { checkXml } from './svg-check';

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(sampleReport());

  it('states the date, the machine, both runtimes and the notes', () => {
    expect(markdown).toContain('2026-01-02T03:04:05.000Z');
    expect(markdown).toContain('Test CPU, 2 cores, 8 GiB, linux 6.1');
    expect(markdown).toContain('Node 20.20.2, Bun 1.4.5');
    expect(markdown).toContain('load average 0.5 at the start and 0.75 at the end');
    expect(markdown).toContain('> a note');
    expect(markdown).toContain('## Figures — node 20.20.2');
    expect(markdown).toContain('## Figures — bun 1.4.5');
  });

  it('gives each row its ratio, target and verdict per runtime in the summary', () => {
    const line = markdown.split('\n').find((text) => text.startsWith('| Small bytes |'));
    expect(line).toBe(
      '| Small bytes | protobuf ÷ JSON | ≤ 0.6 × JSON bytes | **MISS** 0.700 | **MISS** 0.700 |',
    );
    const error = markdown.split('\n').find((text) => text.startsWith('| Unmeasured |'));
    expect(error).toContain('**ERROR** —');
    expect(error).toContain('not run');
  });

  it('spells out every missed target with its figures, and every failed suite', () => {
    expect(markdown).toContain(
      '- **MISS: Small bytes** under node: ratio 0.700 (protobuf 700 B against JSON 1,000 B); target ≤ 0.6 × JSON bytes. exact sizes',
    );
    expect(markdown).toContain('- **ERROR: Unmeasured** under node: not measured');
    expect(markdown).toContain('- **FAILED suite d** under node: ids differ');
  });

  it('reports median ns/op and ops/s of timed rows, and escapes table pipes', () => {
    expect(markdown).toContain(
      '| Fast thing <&> "quoted" \\| piped | ours (9 samples, ±2 % MAD) | 3,333,333 | 300 |',
    );
  });

  it('labels extrapolated curve points as such', () => {
    expect(markdown).toContain('| 100 | 1 | — | — | — | — | — | — | **EXTRAPOLATED** |');
    expect(markdown).toContain('| 10 | 0.1 | 1 | 10 | 10 | 90 | 10,000 | 900 | yes |');
    expect(markdown).toContain('- writes 100: EXTRAPOLATED, not measured');
  });

  it('says when every target was met', () => {
    const report = sampleReport();
    const passing = {
      ...report,
      runtimes: [
        { ...report.runtimes[0]!, rows: report.runtimes[0]!.rows.slice(0, 1), failures: [] },
      ],
    };
    expect(renderMarkdown(passing)).toContain('None: every target was met.');
  });
});

describe('renderMarkdown over consecutive runs', () => {
  /**
   * The sample report as the second of two runs; on the first, the row that passes (target ≥ 2)
   * had `firstRatio`.
   */
  function twoRuns(firstRatio: number): BenchReport {
    const report = sampleReport();
    const second = runOutcome(report);
    const first: RunOutcome = {
      ...second,
      date: '2026-01-02T02:00:00.000Z',
      loadAverage: 0.25,
      runtimes: second.runtimes.map((runtime) => ({
        ...runtime,
        rows: runtime.rows.map((row) =>
          row.id === 'a.pass'
            ? { ...row, ratio: firstRatio, verdict: firstRatio >= 2 ? 'PASS' : ('MISS' as const) }
            : row,
        ),
      })),
    };
    return { ...report, runs: [first, second] };
  }

  it('counts a target as met only if it held on every run', () => {
    const report = twoRuns(1.5);
    const node = report.runtimes[0]!;
    expect(heldVerdict(report, node, 'a.pass')).toEqual({
      verdict: 'MISS',
      ratios: [1.5, 3],
      held: 1,
      runs: 2,
    });
    expect(heldVerdict(report, node, 'b.miss').verdict).toBe('MISS');
    expect(heldVerdict(sampleReport(), node, 'a.pass')).toEqual({
      verdict: 'PASS',
      ratios: [3],
      held: 1,
      runs: 1,
    });
  });

  it('gives every run its ratio and spells out a target missed on an earlier run', () => {
    const markdown = renderMarkdown(twoRuns(1.5));
    expect(markdown).toContain('**Runs:** 2 consecutive runs of every suite (`--runs 2`)');
    expect(markdown).toContain('run 1 0.25 → 0.75, run 2 0.5 → 0.75');
    const line = markdown.split('\n').find((text) => text.startsWith('| Fast thing'));
    expect(line).toMatch(/\| \*\*MISS\*\* 1\.50 · 3\.00 \| \*\*MISS\*\* 1\.50 · 3\.00 \|$/);
    expect(markdown).toContain('Held on 1 of 2 runs (ratios 1.50 · 3.00).');
    expect(markdown).toContain('- node: 0 of 3 targets met on every one of 2 runs');
  });

  it('reads as before when both runs pass', () => {
    const markdown = renderMarkdown(twoRuns(3));
    const line = markdown.split('\n').find((text) => text.startsWith('| Fast thing'));
    expect(line).toMatch(/\| \*\*PASS\*\* 3\.00 · 3\.00 \|/);
    expect(markdown).toContain('- node: 1 of 3 targets met on every one of 2 runs');
  });
});

describe('renderSvg', () => {
  const svg = renderSvg(sampleReport());

  it('is well-formed XML with one bar per runtime and row that ran', () => {
    const { problems, elements } = checkXml(svg);
    expect(problems).toEqual([]);
    expect(elements[0]).toBe('svg');
    // background + 3 rows under node + 2 under bun (the third is "not run": text, no bar)
    expect(elements.filter((name) => name === 'rect')).toHaveLength(1 + 3 + 2);
  });

  it('is self-contained: no scripts, links, external styles or images', () => {
    for (const forbidden of ['<script', 'href', 'url(', '<image', '<style', '@import']) {
      expect(svg).not.toContain(forbidden);
    }
    expect(svg.match(/https?:\/\/[^\s"]*/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('escapes titles and colours bars by verdict', () => {
    expect(svg).toContain('Fast thing &lt;&amp;&gt; &quot;quoted&quot; | piped');
    expect(svg).toContain('fill="#2e7d32"');
    expect(svg).toContain('fill="#c62828"');
    expect(svg).toContain('fill="#9e9e9e"');
  });

  it('places the target line in the middle of the log axis, monotonic either side', () => {
    expect(xOf(0.01)).toBeLessThan(xOf(0.1));
    expect(xOf(0.1)).toBeLessThan(xOf(1));
    expect(xOf(1)).toBeLessThan(xOf(10));
    expect(xOf(1) - xOf(0.01)).toBeCloseTo(xOf(100) - xOf(1), 6);
    expect(xOf(1e9)).toBe(xOf(100));
    expect(xOf(0)).toBe(xOf(0.01));
  });

  it('escapes and truncates text helpers', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});

describe('JSON round trip between the Bun child and the parent', () => {
  it('carries NaN as null and reads it back as NaN', () => {
    const runtime = sampleReport().runtimes[0]!;
    const text = renderJson(runtime);
    expect(text).toContain('"ratio": null');
    const parsed = parseRuntimeReport(text);
    if (!('report' in parsed)) throw new Error(parsed.error);
    expect(parsed.report.rows[2]!.ratio).toBeNaN();
    expect(parsed.report.rows[1]!.ratio).toBe(runtime.rows[1]!.ratio);
    expect(parsed.report.rows).toHaveLength(3);
  });

  it('refuses text that is not a runtime report', () => {
    expect(parseRuntimeReport('not json')).toHaveProperty('error');
    expect(parseRuntimeReport('{"runtime":"deno","rows":[]}')).toHaveProperty('error');
  });
});

describe('formatRatio', () => {
  it('keeps three significant digits at every scale', () => {
    expect(formatRatio(0.10538)).toBe('0.105');
    expect(formatRatio(2.3456)).toBe('2.35');
    expect(formatRatio(1.4)).toBe('1.40');
    expect(formatRatio(34.44)).toBe('34.4');
    expect(formatRatio(56261.2)).toBe('56,261');
    expect(formatRatio(Number.NaN)).toBe('—');
  });
});
