/** The report's whole stylesheet, inlined: no fonts, images or scripts are fetched. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dee7; --ok: #1a7f37; --bad: #c62828; }
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 24px 32px 64px; max-width: 1280px; color: var(--ink); background: #fbfcfe;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: #f1f3f8; padding: 8px 12px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
table { border-collapse: collapse; margin: 4px 0; }
th, td { text-align: left; padding: 3px 12px 3px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 12px; color: #fff; font-weight: 600; }
.verdict.ok, .pass { background: var(--ok); }
.verdict.bad, .fail { background: var(--bad); }
.pass, .fail, .skip { color: #fff; border-radius: 4px; padding: 0 6px; font-size: 12px; font-weight: 600; }
.skip { background: #8a94a6; }
td.zero { color: var(--bad); }
.muted { color: var(--muted); }
.columns { display: flex; gap: 40px; flex-wrap: wrap; }
.scroll { overflow-x: auto; }
.legend, .lane-filter { display: flex; flex-direction: column; gap: 2px; margin: 6px 0; font-size: 12px; }
.legend-group, .lane-filter { display: flex; flex-wrap: wrap; gap: 2px 14px; align-items: center; }
.lane-filter { flex-direction: row; }
.legend-title { min-width: 110px; font-weight: 600; color: var(--muted); }
.legend label, .lane-filter label { cursor: pointer; white-space: nowrap; }
.legend input, .lane-filter input { margin: 0 2px 0 0; vertical-align: middle; }
.legend svg { vertical-align: middle; }
.first-violation { border: 2px solid var(--bad); border-radius: 6px; padding: 0 14px 8px; background: #fff5f5; }
.first-violation h2 { color: var(--bad); border-bottom: none; }
details summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
`;

/**
 * The timeline's styles, placed inside the SVG itself so that the SVG also renders on its own
 * (e.g. extracted from the page); in the page they apply as ordinary document styles.
 */
export const TIMELINE_CSS = `
svg.timeline { background: #fff; border: 1px solid #d9dee7; border-radius: 6px; }
svg .backdrop { fill: #fff; }
svg .lane { fill: #f5f7fb; }
svg .lane-label { font: 11px system-ui, sans-serif; fill: #5b6475; text-anchor: end; }
svg .tick { font: 10px system-ui, sans-serif; fill: #5b6475; text-anchor: middle; }
svg .axis { stroke: #9aa3b2; stroke-width: 1; }
svg .heal { fill: #e3f4e8; opacity: 0.7; }
svg .band.partition { fill: #e57373; opacity: 0.55; }
svg .band.offline { fill: #9e9e9e; opacity: 0.55; }
svg .band.restart { fill: #ffb74d; opacity: 0.7; }
svg .band.clock { fill: #7e57c2; }
svg .mark { stroke: #fff; stroke-width: 0.6; }
`;
