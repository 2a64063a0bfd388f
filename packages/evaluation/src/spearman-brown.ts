/**
 * The Spearman-Brown prophecy formula (Spearman 1910; Brown 1910).
 */

/**
 * The reliability of a measurement `factor` times as long as one whose
 * reliability is r: factor r / (1 + (factor - 1) r). With the default
 * factor 2 it turns the correlation between two half-sets of repetitions
 * into the reliability of the mean over all of them.
 */
export function spearmanBrown(r: number, factor = 2): number {
  return (factor * r) / (1 + (factor - 1) * r);
}
