import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DataFormatError } from '@hourglass/common';

import { encodeNpy } from './npy-fixture.ts';
import { parseNpy } from './npy-reader.ts';

/** `bytes` with the first occurrence of `from` overwritten by `to`. */
function patch(bytes: Uint8Array, from: string, to: string): Buffer {
  const copy = Buffer.from(bytes);
  copy.write(to, copy.indexOf(from), 'latin1');
  return copy;
}

describe('parseNpy', () => {
  it('reads float32, float64 and uint8 arrays with their shapes', () => {
    const f4 = Float32Array.from([1.5, -2, 3, 4, 5, 6]);
    const f8 = Float64Array.from([Math.PI, Number.NaN]);
    const u1 = Uint8Array.from([0, 255, 7]);

    const read32 = parseNpy(encodeNpy(f4, [2, 3]), 'a');
    assert.deepEqual(read32, { dtype: '<f4', shape: [2, 3], data: f4 });
    const read = parseNpy(encodeNpy(f8, [2]), 'b');
    assert.equal(read.data[0], Math.PI);
    assert.ok(Number.isNaN(read.data[1]));
    assert.deepEqual(parseNpy(encodeNpy(u1, [3]), 'c').data, u1);
  });

  it('rejects a dtype it does not read, saying which', () => {
    const bytes = patch(encodeNpy(new Float32Array(2), [2]), '<f4', '>f4');

    assert.throws(() => parseNpy(bytes, 'big.npy'), (error) => {
      assert.ok(error instanceof DataFormatError);
      assert.match(error.message, /^big\.npy: dtype >f4 is not supported/);
      return true;
    });
  });

  it('rejects data shorter than its shape needs', () => {
    const bytes = encodeNpy(new Float32Array(6), [2, 3]);

    assert.throws(
      () => parseNpy(bytes.subarray(0, bytes.length - 4), 'cut.npy'),
      /needs 24 data bytes, found 20/,
    );
  });

  it('rejects Fortran order and a file without the magic', () => {
    const fortran = patch(encodeNpy(new Float32Array(4), [2, 2]), 'False', 'True ');

    assert.throws(() => parseNpy(Buffer.from('hello world'), 'x'), /not a \.npy file/);
    assert.throws(() => parseNpy(fortran, 'f'), /Fortran-order/);
  });
});
