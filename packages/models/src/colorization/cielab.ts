/**
 * CIE L*a*b* (CIELAB 1976) for sRGB colours, one colour at a time, in
 * double precision. The colorization model of Zhang, Isola and Efros
 * (2016) predicts a and b from L in this space.
 *
 * The chain is the standard one: sRGB values in [0, 1] are linearised
 * with the sRGB transfer curve (IEC 61966-2-1), mapped to CIE XYZ with
 * the sRGB primaries under the D65 white, divided by that white, and
 * passed through the CIELAB cube-root curve with its linear toe near
 * black. The white is taken as the row sums of the XYZ matrix, so sRGB
 * white lands exactly on L = 100, a = b = 0.
 */

/** An sRGB colour, each channel in [0, 1] (outside it: out of gamut). */
export type SrgbColor = readonly [red: number, green: number, blue: number];

/** A CIELAB colour: L in [0, 100], a and b roughly within [-128, 128]. */
export type LabColor = readonly [lightness: number, a: number, b: number];

/**
 * Linear sRGB to CIE XYZ (D65), rows X, Y, Z and columns R, G, B: the
 * sRGB primaries' chromaticities with Y of white equal to 1.
 */
export const SRGB_TO_XYZ: readonly (readonly [number, number, number])[] = [
  [0.4124564, 0.3575761, 0.1804375],
  [0.2126729, 0.7151522, 0.072175],
  [0.0193339, 0.119192, 0.9503041],
];

/** The D65 white in XYZ: what sRGB white (1, 1, 1) maps to. */
export const D65_WHITE: readonly [number, number, number] = [
  rowSum(0),
  rowSum(1),
  rowSum(2),
];

/** XYZ to linear sRGB: the inverse of SRGB_TO_XYZ. */
export const XYZ_TO_SRGB = invert3x3(SRGB_TO_XYZ);

// Linear sRGB to XYZ already divided by the white (X/Xn, Y/Yn, Z/Zn),
// row-major, flat: read in the per-pixel loop of convertLinearRgbToLab.
const RELATIVE_XYZ = Float64Array.from(
  SRGB_TO_XYZ.flatMap((row, i) => row.map((value) => value / D65_WHITE[i]!)),
);

// CIELAB's curve is a cube root above (6/29)^3 and a line below it.
const DELTA = 6 / 29;
const DELTA_CUBED = DELTA ** 3;
const TOE_SLOPE = 1 / (3 * DELTA * DELTA);
const TOE_OFFSET = 4 / 29;

// The sRGB transfer curve: a line near black, a 2.4 power above.
const SRGB_DECODE_KNEE = 0.04045;
const SRGB_ENCODE_KNEE = 0.0031308;

function rowSum(row: number): number {
  const [x = 0, y = 0, z = 0] = SRGB_TO_XYZ[row] ?? [];
  return x + y + z;
}

function invert3x3(
  m: readonly (readonly [number, number, number])[],
): [number, number, number][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as [
    readonly [number, number, number],
    readonly [number, number, number],
    readonly [number, number, number],
  ];
  const determinant =
    a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [e * i - f * h, c * h - b * i, b * f - c * e],
    [f * g - d * i, a * i - c * g, c * d - a * f],
    [d * h - e * g, b * g - a * h, a * e - b * d],
  ].map((row) => row.map((value) => value / determinant)) as [
    number,
    number,
    number,
  ][];
}

/** The sRGB transfer curve undone: an encoded channel to linear light. */
export function decodeSrgbChannel(value: number): number {
  return value <= SRGB_DECODE_KNEE
    ? value / 12.92
    : ((value + 0.055) / 1.055) ** 2.4;
}

/** The sRGB transfer curve: linear light to an encoded channel. */
export function encodeSrgbChannel(value: number): number {
  return value <= SRGB_ENCODE_KNEE
    ? 12.92 * value
    : 1.055 * value ** (1 / 2.4) - 0.055;
}

/** CIELAB's companding curve f(t), applied to X/Xn, Y/Yn and Z/Zn. */
export function compandLab(t: number): number {
  return t > DELTA_CUBED ? Math.cbrt(t) : t * TOE_SLOPE + TOE_OFFSET;
}

/** The inverse of compandLab. */
export function expandLab(t: number): number {
  return t > DELTA ? t ** 3 : (t - TOE_OFFSET) / TOE_SLOPE;
}

/**
 * An sRGB colour (channels in [0, 1]) to CIELAB under D65. Pure red
 * (1, 0, 0) gives about (53.24, 80.09, 67.20); white gives (100, 0, 0).
 */
export function convertSrgbToLab(color: SrgbColor): LabColor {
  return convertLinearRgbToLab(
    decodeSrgbChannel(color[0]),
    decodeSrgbChannel(color[1]),
    decodeSrgbChannel(color[2]),
  );
}

/**
 * A linear-light sRGB colour (the transfer curve already undone) to
 * CIELAB under D65; for loops that decode channels from a table.
 */
export function convertLinearRgbToLab(
  red: number,
  green: number,
  blue: number,
): LabColor {
  const m = RELATIVE_XYZ;
  const fx = compandLab(m[0]! * red + m[1]! * green + m[2]! * blue);
  const fy = compandLab(m[3]! * red + m[4]! * green + m[5]! * blue);
  const fz = compandLab(m[6]! * red + m[7]! * green + m[8]! * blue);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/**
 * A CIELAB colour to sRGB, not clipped: a colour outside the sRGB gamut
 * comes back with channels outside [0, 1].
 */
export function convertLabToSrgb(color: LabColor): SrgbColor {
  const [lightness, a, b] = color;
  const fy = (lightness + 16) / 116;
  const xyz = [fy + a / 500, fy, fy - b / 200].map(
    (f, i) => expandLab(f) * D65_WHITE[i]!,
  );
  const [red, green, blue] = XYZ_TO_SRGB.map((row) =>
    encodeSrgbChannel(row[0] * xyz[0]! + row[1] * xyz[1]! + row[2] * xyz[2]!),
  ) as [number, number, number];
  return [red, green, blue];
}
