export { buildReport, type BuiltReport } from './build-report.ts';
export { detailNumber, findFinalStep, selectFinalResults } from './final-checkpoint.ts';
export { escapeHtml, formatMetric, formatScore } from './html.ts';
export { IMAGE_KINDS, pickImage, type ImageChoice } from './sections/image-grids.ts';
export { renderChartPng, renderChartSvg } from './render-chart.ts';
export { REPORT_FILE_NAME, writeReport, type WrittenReport } from './write-report.ts';
export type {
  EvaluationRow,
  EvaluationStatus,
  Figure,
  ImageArtifact,
  MetricPoint,
  ReportInput,
  ReportRun,
  ReportSource,
  RunMaterial,
} from './types.ts';
