import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createProgressPrinter, renderProgressBar } from './progress-bar.ts';

const MIB = 1024 * 1024;

describe('renderProgressBar', () => {
  it('draws the share received, the percentage and the sizes', () => {
    const line = renderProgressBar({ receivedBytes: 25 * MIB, totalBytes: 100 * MIB }, 20);

    assert.equal(line, `[#####---------------]  25.0%  25.0 / 100.0 MiB`);
  });

  it('shows only the bytes received when the total is unknown', () => {
    assert.equal(renderProgressBar({ receivedBytes: 3 * MIB }), '3.0 MiB');
  });
});

describe('createProgressPrinter', () => {
  it('prints one line per tenth when the output is not a terminal', () => {
    const lines: string[] = [];
    const print = createProgressPrinter('cifar', { write: (text) => lines.push(text) });

    for (let bytes = 0; bytes <= 1000; bytes += 10) {
      print({ receivedBytes: bytes, totalBytes: 1000 });
    }

    assert.equal(lines.length, 11);
    assert.match(lines.at(-1)!, /^cifar \[#+\] 100\.0%/);
  });

  it('redraws in place on a terminal and ends the line when done', () => {
    let text = '';
    const output = { isTTY: true, write: (part: string) => (text += part) };
    const print = createProgressPrinter('cifar', output, 0);

    print({ receivedBytes: 1, totalBytes: 2 });
    print({ receivedBytes: 2, totalBytes: 2 });

    assert.equal(text.split('\r').length, 3);
    assert.ok(text.endsWith('\n'));
  });
});
