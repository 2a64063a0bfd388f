import { escapeHtml } from './html.ts';
import type { ReportInput, ReportSection } from './types.ts';

const STYLE = `
body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 2rem; color: #222; }
h1 { margin-bottom: 0.2rem; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 2.5rem; }
.meta { color: #666; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pair { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.figure img { max-width: 640px; height: auto; border: 1px solid #eee; }
img.image-grid { width: 384px; max-width: 100%; image-rendering: pixelated; }
.numbers, .wide { overflow-x: auto; max-width: 100%; }
nav ul { columns: 2; }
`;

function describeSources(input: ReportInput): string {
  return input.sources
    .map((source) => `${source.kind} ${source.name ? `${source.name} ` : ''}(${source.id})`)
    .join(', ');
}

/** The whole page: a title, a table of contents and the sections, with no outside file. */
export function renderPage(input: ReportInput, sections: readonly ReportSection[]): string {
  const contents = sections
    .map((section) => `<li><a href="#${section.id}">${escapeHtml(section.title)}</a></li>`)
    .join('\n');
  const body = sections
    .map(
      (section) =>
        `<section id="${escapeHtml(section.id)}">\n` +
        `<h2>${escapeHtml(section.title)}</h2>\n${section.html}\n</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">${escapeHtml(
    `${input.runs.length} runs from ${describeSources(input)}; ` +
      `made ${input.generatedAt.toISOString()}`,
  )}</p>
<nav><ul>
${contents}
</ul></nav>
${body}
</body>
</html>
`;
}
