import { formatRatio } from './format';
import { rowCatalogue } from './report-markdown';
import { headroom } from './stats';
import type { BenchReport, BenchRow, Verdict } from './types';

/**
 * Renders the ratios as a self-contained SVG bar chart (no scripts, fonts, styles or links from
 * elsewhere). One group per benchmark, one bar per runtime. Ratios live on different scales, so
 * each bar shows the ratio divided by its target (inverted for "at most" targets) on a log axis:
 * the dashed line is the target, a bar reaching past it met the target. Each bar is labelled
 * with the actual ratio. No text is cut: long titles and the subtitle wrap onto more lines (the
 * group grows to fit), and a bar label that would run past the right edge is drawn inside its bar.
 */
export function renderSvg(report: BenchReport): string {
  const rows = rowCatalogue(report);
  const runtimes = report.runtimes;
  const barsHeight = Math.max(1, runtimes.length) * BAR_PITCH;
  const subtitleLines = wrapText(subtitle(report), SUBTITLE_CHARS_PER_LINE);
  const top = TOP + (subtitleLines.length - 1) * LINE_HEIGHT;
  const groups = rows.map((row) => {
    const titleLines = wrapText(row.title, TITLE_CHARS_PER_LINE);
    const targetLines = wrapText(`target ${row.target.text}`, TITLE_CHARS_PER_LINE);
    const textHeight = (titleLines.length + targetLines.length) * LINE_HEIGHT;
    return { row, titleLines, targetLines, height: GROUP_GAP + Math.max(textHeight, barsHeight) };
  });
  const height = top + groups.reduce((sum, group) => sum + group.height, 0) + BOTTOM;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>LakeSync benchmark ratios against their targets (${escapeXml(report.date)})</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN}" y="24" font-size="16" font-weight="bold">LakeSync benchmarks: ratio ÷ target (log scale)</text>`,
    textLines(subtitleLines, MARGIN, 42, 'fill="#555555"'),
    ...axis(top, height),
  ];
  let groupTop = top;
  for (const { row, titleLines, targetLines, height: groupHeight } of groups) {
    const textTop = groupTop + GROUP_GAP / 2 + 10;
    parts.push(
      textLines(titleLines, MARGIN, textTop, 'font-weight="bold"'),
      textLines(targetLines, MARGIN, textTop + titleLines.length * LINE_HEIGHT, 'fill="#555555"'),
    );
    runtimes.forEach((runtime, position) => {
      const own = runtime.rows.find((candidate) => candidate.id === row.id);
      const y = groupTop + GROUP_GAP / 2 + position * BAR_PITCH;
      parts.push(...bar(runtime.runtime, own, y));
    });
    groupTop += groupHeight;
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** One `<text>` of `lines`, a `<tspan>` per line, the first at baseline `y`. */
function textLines(lines: readonly string[], x: number, y: number, attributes: string): string {
  const spans = lines
    .map(
      (line, index) =>
        `<tspan x="${x}" dy="${index === 0 ? 0 : LINE_HEIGHT}">${escapeXml(line)}</tspan>`,
    )
    .join('');
  return `<text x="${x}" y="${y}" ${attributes}>${spans}</text>`;
}

/**
 * `text` broken at spaces into lines of at most `max` characters (a single longer word is split),
 * so nothing has to be cut.
 */
export function wrapText(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    let rest = word;
    while (rest.length > max) {
      if (line !== '') lines.push(line);
      lines.push(rest.slice(0, max));
      rest = rest.slice(max);
      line = '';
    }
    if (line === '') line = rest;
    else if (line.length + 1 + rest.length <= max) line = `${line} ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

const WIDTH = 1_000;
const MARGIN = 16;
const LABEL_WIDTH = 370;
/** Characters of a title line; 12 px bold sans-serif is at most about 7 px a character. */
const TITLE_CHARS_PER_LINE = 48;
/** Characters of a subtitle line across the chart (about 6.5 px a character). */
const SUBTITLE_CHARS_PER_LINE = 140;
/** Width budgeted per character of a bar label, to keep it inside the chart. */
const LABEL_CHAR_PX = 7.2;
const LINE_HEIGHT = 14;
const CHART_LEFT = MARGIN + LABEL_WIDTH;
const CHART_RIGHT = WIDTH - 170;
const TOP = 70;
const BOTTOM = 40;
const BAR_HEIGHT = 14;
const BAR_PITCH = 18;
const GROUP_GAP = 22;
/** The axis spans target ÷ 100 to target × 100; bars beyond are clamped and marked. */
const LOG_MIN = -2;
const LOG_MAX = 2;

const COLOURS: Record<Verdict, string> = { PASS: '#2e7d32', MISS: '#c62828', ERROR: '#9e9e9e' };

function subtitle(report: BenchReport): string {
  const runtimes = report.runtimes.map((r) => `${r.runtime} ${r.runtimeVersion}`).join(', ');
  const quick = report.quick ? ' — quick pass' : '';
  return `${report.machine.cpuModel}, ${report.machine.cores} cores; ${runtimes}; ${report.date}${quick}. Green: target met; red: missed; grey: not measured.`;
}

/** x position of a headroom factor on the log axis, clamped to the chart. */
export function xOf(factor: number): number {
  const logValue = factor > 0 ? Math.log10(factor) : LOG_MIN;
  const clamped = Math.min(LOG_MAX, Math.max(LOG_MIN, logValue));
  return CHART_LEFT + ((clamped - LOG_MIN) / (LOG_MAX - LOG_MIN)) * (CHART_RIGHT - CHART_LEFT);
}

function axis(top: number, height: number): string[] {
  const parts: string[] = [];
  for (let power = LOG_MIN; power <= LOG_MAX; power++) {
    const x = xOf(10 ** power);
    const label = power === 0 ? 'target' : power < 0 ? `÷${10 ** -power}` : `×${10 ** power}`;
    parts.push(
      `<line x1="${x}" y1="${top - 8}" x2="${x}" y2="${height - BOTTOM}" stroke="${power === 0 ? '#000000' : '#e0e0e0'}"${power === 0 ? ' stroke-dasharray="4 3"' : ''}/>`,
      `<text x="${x}" y="${height - BOTTOM + 16}" text-anchor="middle" fill="#555555">${label}</text>`,
    );
  }
  parts.push(
    `<text x="${(CHART_LEFT + CHART_RIGHT) / 2}" y="${height - 6}" text-anchor="middle" fill="#555555">ratio ÷ target, log scale (for "at most" targets: target ÷ ratio); right of the dashed line = target met</text>`,
  );
  return parts;
}

function bar(runtime: string, row: BenchRow | undefined, y: number): string[] {
  const left = xOf(10 ** LOG_MIN);
  if (row === undefined) {
    return [
      `<text x="${left + 4}" y="${y + 11}" fill="#9e9e9e">${escapeXml(`${runtime}: not run`)}</text>`,
    ];
  }
  const factor = headroom(row.ratio, row.target);
  const right = row.verdict === 'ERROR' ? left + 2 : xOf(factor);
  const clipped = factor > 10 ** LOG_MAX ? ' ▶' : '';
  const label = `${runtime}: ${row.verdict} ${formatRatio(row.ratio)}${clipped}`;
  const end = Math.max(right, left);
  const fitsOutside = end + 6 + label.length * LABEL_CHAR_PX <= WIDTH - 8;
  const text = fitsOutside
    ? `<text x="${end + 6}" y="${y + 11}">${escapeXml(label)}</text>`
    : `<text x="${end - 4}" y="${y + 11}" text-anchor="end" fill="#ffffff">${escapeXml(label)}</text>`;
  return [
    `<rect x="${left}" y="${y}" width="${Math.max(2, right - left)}" height="${BAR_HEIGHT}" fill="${COLOURS[row.verdict]}"><title>${escapeXml(`${row.title} (${runtime}): ratio ${formatRatio(row.ratio)}, ${row.ratioText}; target ${row.target.text}`)}</title></rect>`,
    text,
  ];
}

/** `text` cut to `max` characters, the last one an ellipsis when cut (the chart itself no longer cuts). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
