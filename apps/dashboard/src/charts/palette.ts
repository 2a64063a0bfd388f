// Colours for series, chosen to stay apart from each other on white and
// for the common forms of colour blindness (Okabe and Ito's palette).
const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
];

/** The colour of the series at this index. */
export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}
