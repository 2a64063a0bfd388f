import { selectFinalResults } from '../final-checkpoint.ts';
import {
  escapeHtml,
  formatScore,
  numberCell,
  paragraph,
  renderFigureWithTable,
  renderImage,
  renderTable,
} from '../html.ts';
import type { Figure, ReportSection } from '../types.ts';
import { makeFigure, type SectionContext } from './context.ts';

/** Image kinds shown, in page order. */
export const IMAGE_KINDS = ['filters', 'reconstructions', 'prior-samples'] as const;

const IMAGE_TITLES: Record<(typeof IMAGE_KINDS)[number], string> = {
  filters: 'first-layer filters',
  reconstructions: 'reconstructions of held-out images',
  'prior-samples': 'samples from the prior',
};

/** What choosing an image needs to know of it. */
export interface ImageChoice {
  kind: string;
  step: number | null;
  mediaType: string;
}

/**
 * The PNG of a kind to show for a run: the one at its final evaluated
 * checkpoint, else its latest, since a later evaluation may have failed.
 */
export function pickImage<Image extends ImageChoice>(
  images: readonly Image[],
  kind: string,
  finalStep: number | undefined,
): Image | undefined {
  const ofKind = images.filter((image) => image.kind === kind && image.mediaType === 'image/png');
  const atFinal = ofKind.find((image) => image.step === finalStep);
  if (atFinal) return atFinal;
  let latest: Image | undefined;
  for (const image of ofKind) {
    if (latest === undefined || (image.step ?? -1) > (latest.step ?? -1)) latest = image;
  }
  return latest;
}

/**
 * Each run's filter grid (with its median Gabor score beside it) and its
 * other image grids, embedded in the page and written as files.
 */
export function buildImageGrids(context: SectionContext): ReportSection | undefined {
  const parts: string[] = [];
  const figures: Figure[] = [];

  for (const { run, evaluations, images } of context.runs) {
    const label = context.labels.get(run.id)!;
    const finalResults = selectFinalResults(evaluations);
    const finalStep = finalResults[0]?.step;
    for (const kind of IMAGE_KINDS) {
      const image = pickImage(images, kind, finalStep);
      if (!image) continue;
      const title = `${label}: ${IMAGE_TITLES[kind]} at step ${image.step ?? '?'}`;
      const slug = `${kind}-${run.id.slice(0, 8)}`;
      const figure = makeFigure(context, slug, title, image.bytes);
      figures.push(figure);

      const scores = finalResults.filter((row) => row.kind === kind);
      const table = renderTable(
        `${kind}:${run.id}`,
        ['layer', 'step', 'median Gabor score'],
        scores.map((row) => [
          row.layer,
          numberCell(String(row.step)),
          numberCell(formatScore(row.score)),
        ]),
      );
      const imageHtml = renderImage(image.bytes, title, figure.fileName, true);
      parts.push(
        `<h3 data-run="${escapeHtml(run.id)}" data-kind="${kind}">${escapeHtml(title)}</h3>`,
        kind === 'filters' ? renderFigureWithTable(imageHtml, table) : imageHtml,
      );
    }
  }

  if (parts.length === 0) return undefined;
  const intro = paragraph(
    'First-layer kernels as an image grid, scored by how well a 2-D Gabor fits ' +
      'each (the median over kernels); and the image grids other evaluations wrote.',
  );
  const html = [intro, ...parts].join('\n');
  return { id: 'images', title: 'Filters and image grids', html, figures };
}
