/** Small helpers that write HTML safely: every text goes through escapeHtml. */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
}

/** A score with three decimals, the way every evaluation table shows it. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined || !Number.isFinite(score)) return '–';
  return score.toFixed(3);
}

/**
 * A metric value with four significant digits: losses span orders of
 * magnitude, so a fixed number of decimals would print small ones as 0.
 */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return String(Number(value.toPrecision(4)));
}

/** A table cell: text (escaped when written) and whether it holds a number. */
export interface Cell {
  text: string;
  isNumber?: boolean;
}

/** A numeric cell, right-aligned. */
export function numberCell(text: string): Cell {
  return { text, isNumber: true };
}

/**
 * A table with a header row; `name` goes into data-table so that readers
 * (and tests) can find one table among many.
 */
export function renderTable(
  name: string,
  headers: readonly string[],
  rows: readonly (readonly (Cell | string)[])[],
): string {
  const head = headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = row.map((cell) => {
        const { text, isNumber } = typeof cell === 'string' ? { text: cell } : cell;
        const attributes = isNumber ? ' class="num"' : '';
        return `<td${attributes}>${escapeHtml(text)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return (
    `<table data-table="${escapeHtml(name)}">\n<thead><tr>${head}</tr></thead>\n` +
    `<tbody>\n${body}\n</tbody>\n</table>`
  );
}

/**
 * An embedded PNG figure: the bytes as a data URI, so the page needs no
 * other file. An image grid (filters) is shown enlarged with sharp pixels.
 */
export function renderImage(
  png: Uint8Array,
  alt: string,
  fileName?: string,
  isImageGrid = false,
): string {
  const source = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  const file = fileName ? ` data-file="${escapeHtml(fileName)}"` : '';
  const grid = isImageGrid ? ' class="image-grid"' : '';
  return `<img src="${source}" alt="${escapeHtml(alt)}"${file}${grid}>`;
}

/** A figure with its table beside it. */
export function renderFigureWithTable(figureHtml: string, tableHtml: string): string {
  return (
    '<div class="pair">\n' +
    `<div class="figure">${figureHtml}</div>\n` +
    `<div class="numbers">${tableHtml}</div>\n` +
    '</div>'
  );
}

/** A short paragraph of escaped text. */
export function paragraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}
