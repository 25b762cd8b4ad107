export { escapeHtml } from './escape';
export { type ReportInput, renderRunReport, runResultJson } from './html-report';
export { ORACLE_DESCRIPTIONS, type ShrinkSummary } from './sections';
export { formatSeconds, groupDigits, type SummaryRow, summaryRows } from './summary-rows';
export { faultBands, renderTimelineSvg, TIMELINE_MARKS_MAX, timelineLanes } from './timeline-svg';
export { type ReportFiles, writeRunReport } from './write-report';
