/**
 * Test support: writes .npy bytes the way np.save does (format 1.0, the
 * header padded with spaces so the data starts on a 64-byte boundary).
 * Not part of the package's surface.
 */

/** The bytes of an .npy file holding `data` with `shape`. */
export function encodeNpy(
  data: Float32Array | Float64Array | Uint8Array,
  shape: readonly number[],
): Uint8Array {
  const descr = data instanceof Float32Array ? '<f4' : data instanceof Float64Array ? '<f8' : '|u1';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';

  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
