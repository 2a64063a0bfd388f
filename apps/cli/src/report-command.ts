import { join } from 'node:path';

import { HourglassError } from '@hourglass/common';
import {
  buildReport,
  findFinalStep,
  IMAGE_KINDS,
  pickImage,
  writeReport,
  type ImageArtifact,
  type ReportSource,
  type RunMaterial,
  type WrittenReport,
} from '@hourglass/report';

import {
  ApiRequestError,
  type ApiClient,
  type ArtifactRecord,
  type RunDetailRecord,
} from './api-client.ts';

/** Options of the report command; all have defaults. */
export interface ReportOptions {
  /** Folder for report.html and its PNG figures; by default reports/<date-time>. */
  outDir?: string;
  /** When the report is made: its stamp and the default folder's name. */
  now?: Date;
}

/** A run to report on, with the values its sweep gave it, if any. */
interface SourceRun {
  run: RunDetailRecord;
  sweepParameters?: Record<string, unknown>;
}

/** What the user named: a sweep or a run, and the runs it stands for. */
interface ResolvedSource {
  source: ReportSource;
  runs: SourceRun[];
}

/** Enough leaderboard entries for any sweep (the API allows at most 500 runs by default). */
const LEADERBOARD_LIMIT = 100_000;

// 404 is an unknown id; 400 is an id the API cannot even read as one (not
// a UUID). Either way the id names nothing, and the user is told which.
function isUnknownId(error: unknown): boolean {
  return error instanceof ApiRequestError && (error.status === 404 || error.status === 400);
}

/** Sweep runs in the order of their names (`<name> #1`, `#2`, ... `#10`). */
function compareRuns(a: RunDetailRecord, b: RunDetailRecord): number {
  const byName = (a.name ?? '').localeCompare(b.name ?? '', 'en', { numeric: true });
  return byName || a.id.localeCompare(b.id);
}

/**
 * Resolves an id as a sweep (its runs), else as a run; an id that is
 * neither is an HG_NOT_FOUND error naming it.
 */
export async function resolveSource(client: ApiClient, id: string): Promise<ResolvedSource> {
  try {
    // The leaderboard is where the API says which values the sweep gave each run.
    const sweep = await client.getSweep(id, LEADERBOARD_LIMIT);
    const parameters = new Map(
      sweep.leaderboard.entries.map((entry) => [entry.runId, entry.parameters]),
    );
    const runs = (await client.listSweepRuns(sweep.id)).sort(compareRuns).map((run) => ({
      run,
      ...(parameters.has(run.id) ? { sweepParameters: parameters.get(run.id)! } : {}),
    }));
    return { source: { kind: 'sweep', id: sweep.id, name: sweep.name }, runs };
  } catch (error) {
    if (!isUnknownId(error)) throw error;
  }
  try {
    const run = await client.getRunDetail(id);
    return { source: { kind: 'run', id: run.id, name: run.name }, runs: [{ run }] };
  } catch (error) {
    if (!isUnknownId(error)) throw error;
    throw new HourglassError('HG_NOT_FOUND', `no sweep or run has the id "${id}"`, {
      cause: error,
    });
  }
}

/** The image grids a report shows of a run, with their bytes. */
async function loadImages(
  client: ApiClient,
  artifacts: readonly ArtifactRecord[],
  finalStep: number | undefined,
): Promise<ImageArtifact[]> {
  const images: ImageArtifact[] = [];
  for (const kind of IMAGE_KINDS) {
    const artifact = pickImage(artifacts, kind, finalStep);
    if (!artifact) continue;
    images.push({
      kind: artifact.kind,
      step: artifact.step,
      mediaType: artifact.mediaType,
      bytes: await client.fetchBytes(artifact.url),
    });
  }
  return images;
}

/** Reads everything the report shows of one run from the API. */
async function loadRunMaterial(client: ApiClient, source: SourceRun): Promise<RunMaterial> {
  const { run, sweepParameters } = source;
  const [evaluations, metrics, artifacts] = await Promise.all([
    client.listEvaluations(run.id),
    client.listAllMetrics(run.id),
    client.listArtifacts(run.id),
  ]);
  const images = await loadImages(client, artifacts, findFinalStep(evaluations));
  return {
    run: {
      id: run.id,
      sweepId: run.sweepId,
      name: run.name,
      family: run.family,
      status: run.status,
      step: run.step,
      totalSteps: run.totalSteps,
      spec: run.spec,
      ...(sweepParameters ? { sweepParameters } : {}),
    },
    evaluations,
    metrics,
    images,
  };
}

function describeTitle(sources: readonly ReportSource[]): string {
  const names = sources.map((source) => source.name ?? `${source.kind} ${source.id.slice(0, 8)}`);
  return `Hourglass lab report: ${names.join(', ')}`;
}

/** `reports/2026-01-02T03-04-05`: sortable and safe as a folder name everywhere. */
export function defaultOutDir(now: Date): string {
  return join('reports', now.toISOString().slice(0, 19).replaceAll(':', '-'));
}

/**
 * Makes a lab report comparing the runs of the named sweeps and runs, read
 * from the REST API: an HTML page with every figure embedded, and the
 * figures as PNG files beside it. A run named twice (on its own and in its
 * sweep) is shown once.
 */
export async function makeReport(
  client: ApiClient,
  ids: readonly string[],
  options: ReportOptions = {},
): Promise<WrittenReport> {
  if (ids.length === 0) {
    throw new HourglassError('HG_USAGE', 'report needs at least one sweep or run id');
  }
  const now = options.now ?? new Date();

  const resolved: ResolvedSource[] = [];
  for (const id of ids) resolved.push(await resolveSource(client, id));

  // A run named on its own and in its sweep is shown once, with the values
  // its sweep gave it; a Map keeps the place where it was first named.
  const unique = new Map<string, SourceRun>();
  for (const entry of resolved.flatMap(({ runs: sourceRuns }) => sourceRuns)) {
    const known = unique.get(entry.run.id);
    if (known === undefined || (!known.sweepParameters && entry.sweepParameters)) {
      unique.set(entry.run.id, entry);
    }
  }
  const runs: RunMaterial[] = [];
  for (const entry of unique.values()) runs.push(await loadRunMaterial(client, entry));

  const sources = resolved.map((entry) => entry.source);
  const report = await buildReport({
    title: describeTitle(sources),
    generatedAt: now,
    sources,
    runs,
  });
  return writeReport(report, options.outDir ?? defaultOutDir(now));
}
