import { renderPage } from './page.ts';
import { labelRuns } from './run-labels.ts';
import type { SectionContext } from './sections/context.ts';
import { buildCurves } from './sections/curves.ts';
import { buildFailures } from './sections/failures.ts';
import { buildFinalResults } from './sections/final-results.ts';
import { buildImageGrids } from './sections/image-grids.ts';
import { buildLayerScores, LAYER_SCORE_KINDS } from './sections/layer-scores.ts';
import { buildSpecSummary } from './sections/spec-summary.ts';
import type { Figure, ReportInput, ReportSection } from './types.ts';

/** A finished report: the self-contained page and its figures as separate PNGs. */
export interface BuiltReport {
  html: string;
  figures: Figure[];
}

/**
 * Builds the report page comparing the runs: what each run is, its
 * evaluation results at the final checkpoint, its training curves, the
 * per-layer scores of each evaluation, its filters, and what failed. The
 * figures are embedded in the page as data URIs and returned as well.
 */
export async function buildReport(input: ReportInput): Promise<BuiltReport> {
  let figureCount = 0;
  const context: SectionContext = {
    runs: input.runs,
    labels: labelRuns(input.runs.map(({ run }) => run)),
    nameFigure: (slug) => {
      figureCount += 1;
      return `figure-${String(figureCount).padStart(2, '0')}-${slug}.png`;
    },
  };

  // Charts are drawn one after another: each holds a Vega view in memory.
  const sections: (ReportSection | undefined)[] = [
    buildSpecSummary(context),
    buildFinalResults(context),
    await buildCurves(context),
  ];
  for (const kind of LAYER_SCORE_KINDS) sections.push(await buildLayerScores(context, kind));
  sections.push(buildImageGrids(context), buildFailures(context));

  const present = sections.filter((section) => section !== undefined);
  return {
    html: renderPage(input, present),
    figures: present.flatMap((section) => section.figures),
  };
}
