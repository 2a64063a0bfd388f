import { createRequire } from 'node:module';

import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The font every chart is drawn with. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

// resvg draws no text without a font. We ship DejaVu Sans from an npm
// package and load only it, instead of the system's fonts, so that a chart
// looks the same on every machine and still has text on one without fonts
// (a slim container image has none).
const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
];

/** Pixels per chart unit: charts are drawn at twice their size, for sharp text. */
const SCALE = 2;

/**
 * Draws a Vega-Lite chart to SVG with Vega's headless renderer (no browser,
 * no canvas) and rasterizes it to PNG with resvg.
 */
export async function renderChartPng(spec: TopLevelSpec): Promise<Uint8Array> {
  const svg = await renderChartSvg(spec);
  const image = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    background: 'white',
  });
  return image.render().asPng();
}

/** Draws a Vega-Lite chart to SVG text. */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const themed = {
    ...spec,
    config: { font: CHART_FONT_FAMILY, ...(spec.config ?? {}) },
  } as TopLevelSpec;
  const view = new View(parse(compile(themed).spec), { renderer: 'none' });
  try {
    return await view.toSVG(SCALE);
  } finally {
    view.finalize();
  }
}
