export { escapeHtml } from './escape';
export { eventFilterCss, eventListHtml, indexEvents, legendHtml } from './event-list';
export { assignMarks, type EventMark, MARK_GROUPS, MARK_SHAPES } from './event-marks';
export { type ReportInput, renderRunReport, runResultJson } from './html-report';
export { describeOracle, ORACLE_DESCRIPTIONS, oracleNames, oracleTally } from './oracle-catalogue';
export type { ShrinkSummary } from './sections';
export { formatSeconds, groupDigits, type SummaryRow, summaryRows } from './summary-rows';
export { faultBands, renderTimelineSvg, TIMELINE_MARKS_MAX, timelineLanes } from './timeline-svg';
export { type ReportFiles, writeRunReport } from './write-report';
