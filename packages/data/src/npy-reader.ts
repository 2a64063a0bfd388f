/**
 * Reads NumPy .npy files (format versions 1 to 3): little-endian float32,
 * float64 or uint8 arrays in C order, which is what np.save writes for
 * those types on every common machine. Anything else is a DataFormatError
 * saying what was found.
 */
import { readFile } from 'node:fs/promises';

import { DataFormatError } from '@hourglass/common';

/** An array as read: its data (copied, so aligned), shape and dtype. */
export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: Float32Array | Float64Array | Uint8Array;
}

/** The dtypes read, as NumPy names them in the header. */
export type NpyDtype = '<f4' | '<f8' | '|u1';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const ITEM_BYTES: Record<NpyDtype, number> = { '<f4': 4, '<f8': 8, '|u1': 1 };

/** Reads and parses the .npy file at `path`. */
export async function readNpy(path: string): Promise<NpyArray> {
  const bytes = await readFile(path).catch((error: unknown) => {
    throw new DataFormatError(path, `cannot read: ${(error as Error).message}`, { cause: error });
  });
  return parseNpy(bytes, path);
}

/** Parses .npy bytes; `source` names them in errors. */
export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  if (bytes.length < 10 || !MAGIC.every((value, i) => bytes[i] === value)) {
    throw new DataFormatError(source, 'not a .npy file (no \\x93NUMPY magic)');
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let headerStart: number;
  let headerLength: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new DataFormatError(source, `.npy format version ${major} is not supported (1 to 3)`);
  }

  const header = new TextDecoder().decode(
    bytes.subarray(headerStart, headerStart + headerLength),
  );
  const { dtype, isFortranOrder, shape } = parseHeader(header, source);
  if (isFortranOrder) {
    throw new DataFormatError(source, 'Fortran-order arrays are not supported; save in C order');
  }

  const count = shape.reduce((product, side) => product * side, 1);
  const dataStart = headerStart + headerLength;
  const dataBytes = count * ITEM_BYTES[dtype];
  if (bytes.length - dataStart !== dataBytes) {
    throw new DataFormatError(
      source,
      `shape [${shape.join(', ')}] of ${dtype} needs ${dataBytes} data bytes, ` +
        `found ${bytes.length - dataStart}`,
    );
  }
  // Copied into a fresh buffer: the data's offset in the file need not be
  // a multiple of the item size, which typed arrays require. (A Buffer's
  // slice would share memory, so the copy is explicit.)
  const copy = new Uint8Array(dataBytes);
  copy.set(bytes.subarray(dataStart, dataStart + dataBytes));
  const buffer = copy.buffer;
  const data =
    dtype === '<f4'
      ? new Float32Array(buffer)
      : dtype === '<f8'
        ? new Float64Array(buffer)
        : new Uint8Array(buffer);
  return { dtype, shape, data };
}

function parseHeader(
  header: string,
  source: string,
): { dtype: NpyDtype; isFortranOrder: boolean; shape: number[] } {
  // The header is a Python dict literal; three fixed keys are all we need.
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new DataFormatError(source, `unreadable .npy header: ${header.trim()}`);
  }

  const dtype = descr === '<u1' ? '|u1' : descr;
  if (!(dtype in ITEM_BYTES)) {
    throw new DataFormatError(
      source,
      `dtype ${descr} is not supported: expected <f4 (float32), <f8 (float64) or |u1 (uint8)`,
    );
  }
  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number);
  if (shape.some((side) => !Number.isInteger(side) || side < 0)) {
    throw new DataFormatError(source, `unreadable .npy shape (${shapeText})`);
  }
  return { dtype: dtype as NpyDtype, isFortranOrder: fortran === 'True', shape };
}
