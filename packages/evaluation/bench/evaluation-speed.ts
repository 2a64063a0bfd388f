/**
 * Seconds per evaluation at a realistic size, on synthetic data, on the
 * backend the resolver picks; one JSON line per evaluation. Not a test:
 * figures depend on the machine and on what else it is doing.
 *
 *   npm run bench -w @hourglass/evaluation -- [probe|ridge|pls|gabor ...]
 *
 * - linear probe: 10,000 training and 2,000 held-out images, 9,000
 *   dimensions, 10 classes, default settings (20 epochs of Adam);
 * - neural fit: 5,760 images (the HvM stimuli) x 9,000 dimensions x 300
 *   sites, 5 folds, ridge (5 penalties, 3 inner folds) and PLS (25
 *   components); the Gram matrix that ridge starts from is also timed on
 *   its own;
 * - Gabor scores of 64 kernels 7 x 7 x 3.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { resolveBackend } from '@hourglass/compute';

import {
  computeGram,
  fitNeuralSites,
  runLinearProbe,
  scoreGaborKernels,
} from '../src/index.ts';
import type { NeuralFitMethod } from '../src/index.ts';

const DIMENSIONS = 9000;
const parts = process.argv.slice(2);
const wanted = (part: string): boolean =>
  parts.length === 0 || parts.includes(part);

const backend = await resolveBackend();

function report(fields: Record<string, unknown>): void {
  const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  console.log(JSON.stringify({ ...fields, backend: backend.name, rssMiB }));
}

function secondsSince(start: number): number {
  return Number(((performance.now() - start) / 1000).toFixed(2));
}

/**
 * Features with class structure spread over many directions: a class
 * centre, a shared low-rank part and independent noise.
 */
function syntheticFeatures(
  labels: Int32Array,
  classes: number,
  seed: number,
): Tensor2D {
  return tf.tidy(() => {
    const n = labels.length;
    const normal = (shape: number[], sd: number, offset: number) =>
      tf.randomNormal(shape, 0, sd, 'float32', seed + offset);
    const centres = normal([classes, DIMENSIONS], 0.01, 0);
    const factors = normal([n, 64], 1, 1);
    const loadings = normal([64, DIMENSIONS], 0.1, 2);
    const noise = tf.randomUniform([n, DIMENSIONS], -1, 1, 'float32', seed + 3);
    return tf.addN([
      tf.gather(centres, labels),
      tf.matMul(factors, loadings),
      noise,
    ]) as Tensor2D;
  });
}

if (wanted('probe')) {
  const classes = 10;
  const trainLabels = Int32Array.from({ length: 10_000 }, (_, i) => i % classes);
  const testLabels = Int32Array.from({ length: 2_000 }, (_, i) => i % classes);
  const train = syntheticFeatures(trainLabels, classes, 1);
  const test = syntheticFeatures(testLabels, classes, 1);

  const start = performance.now();
  const result = runLinearProbe(
    { features: train, labels: trainLabels },
    { features: test, labels: testLabels },
  );
  report({
    evaluation: 'linear-probe',
    trainImages: 10_000,
    testImages: 2_000,
    dimensions: DIMENSIONS,
    classes,
    epochs: 20,
    seconds: secondsSince(start),
    top1: Number(result.top1.toFixed(3)),
  });
  tf.dispose([train, test]);
}

const neuralMethods = (['ridge', 'pls'] as NeuralFitMethod[]).filter(wanted);
if (neuralMethods.length > 0) {
  const images = 5760;
  const sites = 300;
  const features = tf.tidy(() =>
    tf.add(
      tf.matMul(
        tf.randomNormal([images, 64], 0, 1, 'float32', 5),
        tf.randomNormal([64, DIMENSIONS], 0, 0.2, 'float32', 6),
      ),
      tf.randomUniform([images, DIMENSIONS], -1, 1, 'float32', 7),
    ),
  ) as Tensor2D;
  const responses = tf.tidy(() =>
    tf.add(
      tf.matMul(
        features.slice([0, 0], [images, 256]),
        tf.randomNormal([256, sites], 0, 0.1, 'float32', 8),
      ),
      tf.randomNormal([images, sites], 0, 1, 'float32', 9),
    ),
  ) as Tensor2D;
  const reliability = new Float32Array(sites).fill(0.8);

  if (neuralMethods.includes('ridge')) {
    const start = performance.now();
    tf.dispose(computeGram(features));
    report({
      evaluation: 'gram-matrix',
      images,
      dimensions: DIMENSIONS,
      seconds: secondsSince(start),
    });
  }
  for (const method of neuralMethods) {
    const start = performance.now();
    const result = fitNeuralSites(
      { features, responses, reliability },
      { method, folds: 5 },
    );
    report({
      evaluation: 'neural-fit',
      method,
      images,
      dimensions: DIMENSIONS,
      sites,
      folds: 5,
      seconds: secondsSince(start),
      medianExplainedVariance: Number(result.medianExplainedVariance.toFixed(3)),
      ...(result.alphas ? { alphas: result.alphas } : {}),
    });
  }
  tf.dispose([features, responses]);
}

if (wanted('gabor')) {
  const kernels = tf.randomNormal([7, 7, 3, 64], 0, 1, 'float32', 10);
  const start = performance.now();
  const { median } = scoreGaborKernels(kernels as tf.Tensor4D);
  report({
    evaluation: 'gabor-scores',
    kernels: 64,
    seconds: secondsSince(start),
    median: Number(median.toFixed(3)),
  });
  kernels.dispose();
}
