/**
 * Input-to-output order of encoding layers, from their names alone. The
 * API lists evaluation rows by layer name, alphabetically; the models name
 * their layers so that this is input-to-output order once numbers compare
 * as numbers (conv2 before conv10) and an activation sorts right after the
 * conv it follows (encoder/conv, encoder/activation, encoder/pool). A row
 * without a layer (the neural data's own score) comes last.
 */
export function compareLayers(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  return layerKey(a).localeCompare(layerKey(b), 'en', { numeric: true });
}

// encoder/conv is a prefix of encoder/conv/activation, so it sorts first,
// and both come before encoder/pool.
function layerKey(layer: string): string {
  return layer.replace(/(^|\/)activation$/, '$1conv/activation');
}
