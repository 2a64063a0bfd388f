/**
 * @hourglass/evaluation: the numerics of evaluating a checkpoint: linear
 * probes, task generalization, RSA, neural fitting, Gabor scores of
 * filters and image grids. Pure functions of tensors; the queue and the
 * database are wired elsewhere.
 */
export { extractFeatures } from './extract-features.ts';
export type { FeatureExtractionOptions } from './extract-features.ts';
export {
  DEFAULT_FEATURE_DIMENSIONS,
  planFeatureGrid,
  resizeActivation,
} from './resize-features.ts';
export type { ResizeMethod, ResizeOptions } from './resize-features.ts';
export {
  disposeStandardizer,
  fitStandardizer,
  standardize,
} from './standardizer.ts';
export type { Standardizer } from './standardizer.ts';

export { runLinearProbe } from './linear-probe.ts';
export type { LabelledFeatures, LinearProbeResult } from './linear-probe.ts';
export {
  computeLogits,
  disposeClassifier,
  predictClasses,
  trainSoftmaxClassifier,
} from './softmax-classifier.ts';
export type {
  SoftmaxClassifier,
  SoftmaxClassifierOptions,
} from './softmax-classifier.ts';
export { computeTopKAccuracy } from './top-k-accuracy.ts';

export { evaluateTaskGeneralization } from './task-generalization.ts';
export type {
  ClassificationScore,
  PropertyScore,
  StimulusMetadata,
  TaskGeneralizationOptions,
  TaskGeneralizationResult,
} from './task-generalization.ts';
export { assignFolds, assignStratifiedFolds, splitFold } from './folds.ts';
export type { FoldSplit } from './folds.ts';

export { evaluateRsa } from './rsa.ts';
export type { RsaInput, RsaLevel, RsaResult } from './rsa.ts';
export {
  compareRdms,
  computeCategoryRdm,
  computeRdm,
  upperTriangle,
} from './rdm.ts';
export { computeRdmCeiling } from './rdm-ceiling.ts';
export type { RdmCeiling, RdmCeilingOptions } from './rdm-ceiling.ts';
export { averageGroups } from './group-average.ts';
export type { GroupAverages } from './group-average.ts';
export { rankWithTies, spearmanCorrelation } from './spearman.ts';
export { correlateColumns, pearsonCorrelation } from './correlation.ts';

export {
  DEFAULT_RELIABILITY_THRESHOLD,
  fitNeuralSites,
} from './neural-fit.ts';
export type {
  NeuralFitInput,
  NeuralFitMethod,
  NeuralFitOptions,
  NeuralFitResult,
} from './neural-fit.ts';
export { computeSiteReliability } from './site-reliability.ts';
export type { SiteReliability, SplitHalfOptions } from './site-reliability.ts';
export { averageRepetitions, drawHalfSplits } from './split-halves.ts';
export type { HalfSplit } from './split-halves.ts';
export { spearmanBrown } from './spearman-brown.ts';
export { disposeRidge, fitRidge, predictRidge } from './ridge-regression.ts';
export type { RidgeModel, RidgeOptions } from './ridge-regression.ts';
export {
  DEFAULT_INNER_SAMPLES,
  DEFAULT_RIDGE_ALPHAS,
  predictKernelRidgeCv,
} from './kernel-ridge-cv.ts';
export type {
  GramFold,
  RidgeCvPrediction,
  RidgeSelectionOptions,
} from './kernel-ridge-cv.ts';
export { computeGram } from './gram-matrix.ts';
export {
  DEFAULT_PLS_COMPONENTS,
  disposePls,
  fitPls,
  predictPls,
} from './pls-regression.ts';
export type { PlsModel } from './pls-regression.ts';
export { scoreHeldOutPredictions } from './held-out-scores.ts';
export type { HeldOutScores } from './held-out-scores.ts';

export { renderGabor, renderGaborPair } from './gabor.ts';
export type { GaborParameters } from './gabor.ts';
export { fitGabor, scoreGaborKernels } from './gabor-fit.ts';
export type { GaborFit, GaborScores } from './gabor-fit.ts';
export { renderFilterGrid } from './filter-grid.ts';
export type { FilterGridOptions } from './filter-grid.ts';
export { renderReconstructionGrid } from './reconstruction-grid.ts';
export type {
  ReconstructionGridOptions,
  ReconstructionRows,
} from './reconstruction-grid.ts';
export { encodeTileGrid } from './image-grid.ts';
export type { GridLayout, Tile } from './image-grid.ts';
export { multiplyMatrices } from './mat-mul.ts';
