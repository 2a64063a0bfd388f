/**
 * What a report is made from: runs as the REST API describes them, with
 * their evaluation rows, metric points and image artifacts. The CLI reads
 * these over HTTP; this package only shapes and draws them, so it never
 * touches the database or the network.
 */

/** Statuses an evaluation row can have; only `succeeded` rows are results. */
export type EvaluationStatus = 'pending' | 'running' | 'succeeded' | 'failed';

/** One run, with its spec as stored (every default filled in). */
export interface ReportRun {
  id: string;
  sweepId: string | null;
  name: string | null;
  family: string;
  status: string;
  step: number;
  totalSteps: number | null;
  /** The stored run spec; read loosely, since the report only summarizes it. */
  spec: Record<string, unknown>;
  /** For a sweep's run: the values of the parameters its sweep varies, by path. */
  sweepParameters?: Record<string, unknown>;
}

/** One evaluation result (or failure) of one checkpoint of a run. */
export interface EvaluationRow {
  step: number;
  kind: string;
  layer: string;
  area: string;
  method: string;
  status: EvaluationStatus;
  score: number | null;
  details: unknown;
  error: string | null;
}

/** One value of one metric at one training step. */
export interface MetricPoint {
  name: string;
  step: number;
  value: number;
}

/** An image an evaluation wrote (a filter grid, reconstructions), with its bytes. */
export interface ImageArtifact {
  kind: string;
  step: number | null;
  mediaType: string;
  bytes: Uint8Array;
}

/** Everything the report shows about one run. */
export interface RunMaterial {
  run: ReportRun;
  evaluations: EvaluationRow[];
  metrics: MetricPoint[];
  images: ImageArtifact[];
}

/** What the user asked for: a sweep or a run, by id. */
export interface ReportSource {
  kind: 'sweep' | 'run';
  id: string;
  name: string | null;
}

/** The whole input of one report. */
export interface ReportInput {
  title: string;
  generatedAt: Date;
  sources: ReportSource[];
  runs: RunMaterial[];
}

/** A figure drawn for the report: a PNG and the file name it is written under. */
export interface Figure {
  fileName: string;
  title: string;
  png: Uint8Array;
}

/** One section of the report page, with the figures it refers to. */
export interface ReportSection {
  id: string;
  title: string;
  html: string;
  figures: Figure[];
}
