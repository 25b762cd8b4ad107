import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../sim/cli/paths';
import { rowCatalogue } from '../lib/report-markdown';
import { renderSvg, wrapText } from '../lib/report-svg';
import type { BenchReport } from '../lib/types';
import { checkXml } from './svg-check';

describe('reports/bench.svg', () => {
  const report = JSON.parse(
    readFileSync(join(REPO_ROOT, 'reports', 'bench.json'), 'utf8'),
  ) as BenchReport;
  const svg = renderSvg(report);

  it('is what the report writer makes of reports/bench.json, well formed', () => {
    expect(readFileSync(join(REPO_ROOT, 'reports', 'bench.svg'), 'utf8')).toBe(svg);
    expect(checkXml(svg).problems).toEqual([]);
  });

  it('cuts no label: every title and target is drawn in full, no ellipsis', () => {
    expect(svg).not.toContain('…');
    const drawn = [...svg.matchAll(/<text [^>]*>((?:<tspan[^>]*>[^<]*<\/tspan>)+)<\/text>/g)].map(
      (match) =>
        [...(match[1] ?? '').matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)]
          .map((span) => span[1])
          .join(' '),
    );
    for (const row of rowCatalogue(report)) {
      expect(drawn).toContain(escapeXmlText(row.title));
      expect(drawn).toContain(escapeXmlText(`target ${row.target.text}`));
    }
  });

  it('wraps at spaces and splits only words longer than a line', () => {
    expect(wrapText('Append cost at 1,000,000 vs empty', 12)).toEqual([
      'Append cost',
      'at 1,000,000',
      'vs empty',
    ]);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('', 4)).toEqual(['']);
  });
});

/** XML text as the SVG writer escapes it (quotes and apostrophes included, as in "server's"). */
function escapeXmlText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
