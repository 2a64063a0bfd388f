import type { Figure, RunMaterial } from '../types.ts';

/** What every section is built from. */
export interface SectionContext {
  runs: readonly RunMaterial[];
  /** Legend and table label of each run, by run id. */
  labels: ReadonlyMap<string, string>;
  /** A unique file name for a figure, numbered in page order. */
  nameFigure(slug: string): string;
}

/** Makes a figure named by the context, from PNG bytes. */
export function makeFigure(
  context: SectionContext,
  slug: string,
  title: string,
  png: Uint8Array,
): Figure {
  return { fileName: context.nameFigure(slug), title, png };
}

/** Lower-case words joined by dashes, for file names. */
export function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, 60) || 'figure';
}
