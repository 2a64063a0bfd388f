/**
 * The 2-D Gabor function: a sinusoidal carrier under a Gaussian envelope,
 * the model of simple-cell receptive fields (Daugman 1985; Jones and
 * Palmer 1987) that sparse coding of natural images reproduces (Olshausen
 * and Field 1996).
 */

/** The shape of a Gabor; lengths are in pixels. */
export interface GaborParameters {
  /** Direction of the carrier's wave vector, radians in [0, pi). */
  orientation: number;
  /** Carrier frequency, cycles per pixel (0.5 is the Nyquist limit). */
  frequency: number;
  /** Carrier phase at the centre, radians. */
  phase: number;
  /** Envelope standard deviation along the wave vector. */
  sigmaAlong: number;
  /** Envelope standard deviation across it (along the stripes). */
  sigmaAcross: number;
  /** Centre, relative to the middle of the kernel (x right, y down). */
  centerX: number;
  centerY: number;
}

/**
 * The Gabor's quadrature pair on an h x w grid, row-major: the envelope
 * times cos and times sin of the carrier. Any phase is a combination,
 * cos(phase) even - sin(phase) odd, which lets a fit solve for the phase
 * in closed form.
 */
export function renderGaborPair(
  parameters: Omit<GaborParameters, 'phase'>,
  height: number,
  width: number,
): { even: Float64Array; odd: Float64Array } {
  const { orientation, frequency, sigmaAlong, sigmaAcross } = parameters;
  const cos = Math.cos(orientation);
  const sin = Math.sin(orientation);
  const even = new Float64Array(height * width);
  const odd = new Float64Array(height * width);
  for (let row = 0; row < height; row += 1) {
    const y = row - (height - 1) / 2 - parameters.centerY;
    for (let column = 0; column < width; column += 1) {
      const x = column - (width - 1) / 2 - parameters.centerX;
      const along = x * cos + y * sin;
      const across = -x * sin + y * cos;
      const envelope = Math.exp(
        -0.5 * ((along / sigmaAlong) ** 2 + (across / sigmaAcross) ** 2),
      );
      const angle = 2 * Math.PI * frequency * along;
      even[row * width + column] = envelope * Math.cos(angle);
      odd[row * width + column] = envelope * Math.sin(angle);
    }
  }
  return { even, odd };
}

/** The Gabor itself on an h x w grid, row-major. */
export function renderGabor(
  parameters: GaborParameters,
  height: number,
  width: number,
): Float64Array {
  const { even, odd } = renderGaborPair(parameters, height, width);
  const cos = Math.cos(parameters.phase);
  const sin = Math.sin(parameters.phase);
  return even.map((value, i) => cos * value - sin * odd[i]!);
}
