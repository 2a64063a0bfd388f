import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { escapeHtml, formatMetric, formatScore, renderTable } from './html.ts';

describe('escapeHtml', () => {
  test('replaces every character that could open markup or end an attribute', () => {
    assert.equal(
      escapeHtml(`<script>alert("x" & 'y')</script>`),
      '&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;',
    );
  });
});

describe('number formatting', () => {
  test('scores have three decimals and a missing score is a dash', () => {
    assert.equal(formatScore(0.25), '0.250');
    assert.equal(formatScore(-0.0416), '-0.042');
    assert.equal(formatScore(null), '–');
    assert.equal(formatScore(Number.NaN), '–');
  });

  test('metric values keep four significant digits at any magnitude', () => {
    assert.equal(formatMetric(0.000123456), '0.0001235');
    assert.equal(formatMetric(1234.5678), '1235');
  });
});

describe('renderTable', () => {
  test('escapes cells and headers and marks numeric cells', () => {
    const html = renderTable('t', ['a<b'], [[{ text: '1.000', isNumber: true }], ['x&y']]);

    assert.match(html, /<table data-table="t">/);
    assert.match(html, /<th>a&lt;b<\/th>/);
    assert.match(html, /<td class="num">1.000<\/td>/);
    assert.match(html, /<td>x&amp;y<\/td>/);
  });
});
