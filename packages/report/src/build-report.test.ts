import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { buildReport } from './build-report.ts';
import { makeReportInput } from './test-fixture.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The text of each cell of the table named `name`, row by row. */
function readTable(html: string, name: string): string[][] {
  const start = html.indexOf(`<table data-table="${name}">`);
  assert.ok(start >= 0, `no table ${name}`);
  const table = html.slice(start, html.indexOf('</table>', start));
  const body = table.slice(table.indexOf('<tbody>'));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((match) =>
    [...match[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((cell) => cell[1]!),
  );
}

describe('buildReport', () => {
  test('tables hold each run\'s final-checkpoint scores with three decimals', async () => {
    const { html } = await buildReport(makeReportInput());

    const probe = readTable(html, 'linear-probe');
    assert.deepEqual(
      probe.map((cells) => cells.slice(1)),
      [
        ['conv1', '0.250', '0.700'],
        ['hidden', '0.313', '–'],
        ['conv1', '0.350', '0.700'],
        ['hidden', '0.412', '–'],
      ],
    );
    assert.deepEqual(readTable(html, 'rsa:image')[0]!.slice(1), ['conv1', 'IT', '0.040', '0.600']);
    assert.deepEqual(readTable(html, 'neural-fit:ridge')[0]!.slice(1), ['conv1', 'IT', '0.200',
      '3']);
    assert.deepEqual(
      readTable(html, 'task-generalization:category').slice(0, 2).map((cells) => cells.slice(1)),
      [['conv1', '0.400'], ['neural data (IT)', '0.800']],
    );
  });

  test('draws one PNG per chart and embeds each with the filter grid', async () => {
    const { html, figures } = await buildReport(makeReportInput());

    const names = figures.map((figure) => figure.fileName);
    assert.ok(names.includes('figure-01-curve-loss-total.png'), names.join());
    assert.ok(names.some((name) => name.startsWith('figure-') && name.includes('filters-')));
    assert.ok(!names.some((name) => name.includes('learning-rate')));
    for (const figure of figures) {
      assert.deepEqual([...figure.png.subarray(0, 8)], PNG_SIGNATURE, figure.fileName);
      assert.ok(html.includes(Buffer.from(figure.png).toString('base64')), figure.fileName);
    }
  });

  test('escapes a run name with HTML special characters wherever it appears', async () => {
    const { html } = await buildReport(makeReportInput());

    assert.ok(!html.includes('<b>bold</b>'));
    assert.ok(html.includes('&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;'));
    assert.deepEqual(readTable(html, 'failures')[0]!.slice(2), ['reconstructions', '', '', '',
      'disk &lt;full&gt; &amp; gone']);
  });
});
