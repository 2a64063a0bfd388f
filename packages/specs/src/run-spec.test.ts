import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { RunSpec, type RunSpecInput } from './run-spec.ts';

const minimal: RunSpecInput = { model: { family: 'shallow-ae' } };

/** The dotted paths of every issue a bad spec raises. */
function issuePaths(input: unknown): string[] {
  const result = RunSpec.safeParse(input);
  assert.equal(result.success, false, 'expected the spec to be rejected');
  return result.error!.issues.map((issue) => issue.path.map(String).join('.'));
}

describe('RunSpec', () => {
  test('a minimal spec is filled in with every default', () => {
    const spec = RunSpec.parse(minimal);

    assert.deepEqual(spec, {
      model: {
        family: 'shallow-ae',
        channels: 64,
        kernelSize: 7,
        stride: 16,
        decoderKernelSize: 16,
        activation: 'relu',
      },
      dataset: { kind: 'generated', seed: 0, trainSize: 2_000, testSize: 500 },
      imageSize: 32,
      optimizer: { kind: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      learningRateSchedule: { kind: 'constant' },
      batchSize: 64,
      schedule: { unit: 'steps', steps: 1_000 },
      checkpointEverySteps: 500,
      metricsEverySteps: 10,
      evaluations: [],
      evaluation: {
        featureDimensions: 9_000,
        featureResize: 'bilinear',
        probe: { trainImages: 5_000, testImages: 1_000, epochs: 20, weightDecay: 5e-4 },
        neuralFit: {
          methods: ['ridge', 'pls'],
          folds: 5,
          plsComponents: 25,
          reliabilityThreshold: 0.7,
        },
        rsaImages: 500,
        reconstructionImages: 16,
      },
      seed: 0,
    });
  });

  test('parsing a parsed spec again changes nothing, so the stored spec is final', () => {
    const spec = RunSpec.parse({
      ...minimal,
      name: 'again',
      optimizer: { kind: 'sgd' },
      learningRateSchedule: { kind: 'cosine' },
    });

    assert.deepEqual(RunSpec.parse(spec), spec);
    assert.deepEqual(spec.optimizer, {
      kind: 'sgd',
      learningRate: 0.01,
      momentum: 0.9,
      useNesterov: false,
    });
    assert.deepEqual(spec.learningRateSchedule, { kind: 'cosine', warmupSteps: 0, minFactor: 0 });
  });

  test('values given by the user win over the defaults', () => {
    const spec = RunSpec.parse({
      model: { family: 'shallow-ae', channels: 8, kernelSize: 3, stride: 4 },
      dataset: { kind: 'generated', seed: 5, trainSize: 100 },
      imageSize: 16,
      batchSize: 32,
    });

    assert.equal(spec.model.family, 'shallow-ae');
    assert.equal(spec.model.channels, 8);
    assert.equal(spec.model.kernelSize, 3);
    assert.equal(spec.model.stride, 4);
    assert.deepEqual(spec.dataset, { kind: 'generated', seed: 5, trainSize: 100, testSize: 500 });
    assert.equal(spec.imageSize, 16);
    assert.equal(spec.batchSize, 32);
  });

  test('a cifar10 spec at 32px is accepted', () => {
    const spec = RunSpec.parse({ ...minimal, dataset: { kind: 'cifar10' } });

    assert.deepEqual(spec.dataset, { kind: 'cifar10' });
  });

  test('negative channels are rejected at model.channels', () => {
    const paths = issuePaths({ model: { family: 'shallow-ae', channels: -3 } });

    assert.deepEqual(paths, ['model.channels']);
  });

  test('an unknown model family is rejected at model.family', () => {
    const paths = issuePaths({ model: { family: 'vq-vae' } });

    assert.deepEqual(paths, ['model.family']);
  });

  test('a missing model is rejected at model', () => {
    assert.deepEqual(issuePaths({}), ['model']);
  });

  test('a kernel larger than the image is rejected at model.kernelSize', () => {
    const paths = issuePaths({
      model: { family: 'shallow-ae', kernelSize: 17, stride: 8 },
      imageSize: 16,
    });

    assert.deepEqual(paths, ['model.kernelSize']);
  });

  test('a stride larger than the image is rejected at model.stride', () => {
    const paths = issuePaths({
      model: { family: 'shallow-ae', kernelSize: 3, stride: 32 },
      imageSize: 16,
    });

    assert.deepEqual(paths, ['model.stride']);
  });

  test('a kernel and stride equal to the image size are accepted', () => {
    const spec = RunSpec.parse({
      model: { family: 'shallow-ae', kernelSize: 16, stride: 16 },
      imageSize: 16,
    });

    assert.equal(spec.model.family, 'shallow-ae');
    assert.equal(spec.model.kernelSize, 16);
  });

  test('cifar10 with imageSize 64 is rejected at imageSize', () => {
    const result = RunSpec.safeParse({
      ...minimal,
      dataset: { kind: 'cifar10' },
      imageSize: 64,
    });

    assert.equal(result.success, false);
    const issue = result.error!.issues.find((found) => found.path.join('.') === 'imageSize');
    assert.ok(issue, 'expected an issue at imageSize');
    assert.match(issue.message, /32/);
  });

  test('a batchSize that is not a number is rejected at batchSize', () => {
    const paths = issuePaths({ ...minimal, batchSize: 'sixty-four' });

    assert.deepEqual(paths, ['batchSize']);
  });

  test('an unknown optimizer kind is rejected at optimizer.kind', () => {
    const paths = issuePaths({ ...minimal, optimizer: { kind: 'rmsprop' } });

    assert.deepEqual(paths, ['optimizer.kind']);
  });

  test('every failing field is reported, not only the first', () => {
    const paths = issuePaths({
      model: { family: 'shallow-ae', channels: 0 },
      batchSize: 1.5,
      seed: -1,
    });

    assert.deepEqual([...paths].sort(), ['batchSize', 'model.channels', 'seed']);
  });

  test('neural fitting without a stimulus set is rejected at evaluation.neuralData', () => {
    const paths = issuePaths({ ...minimal, evaluations: ['linear-probe', 'neural-fit'] });

    assert.deepEqual(paths, ['evaluation.neuralData']);
    const spec = RunSpec.parse({
      ...minimal,
      evaluations: ['neural-fit', 'task-generalization', 'rsa'],
      evaluation: { neuralData: { format: 'hvm-hdf5', path: 'hvm.h5' } },
    });
    assert.deepEqual(spec.evaluation.neuralData, { format: 'hvm-hdf5', path: 'hvm.h5' });
  });

  test('bad evaluation settings are rejected at their field', () => {
    const paths = issuePaths({
      ...minimal,
      evaluations: ['filters', 'filters', 'colour'],
      evaluation: {
        featureDimensions: 0,
        neuralData: { format: 'mat', path: '' },
        neuralFit: { methods: [] },
      },
    });

    assert.deepEqual([...paths].sort(), [
      'evaluation.featureDimensions',
      'evaluation.neuralData.format',
      'evaluation.neuralData.path',
      'evaluation.neuralFit.methods',
      'evaluations.2',
    ]);
    assert.deepEqual(issuePaths({ ...minimal, evaluations: ['rsa', 'rsa'] }), ['evaluations']);
    const classifier = { model: { family: 'alexnet' }, evaluations: ['reconstructions'] };
    assert.deepEqual(issuePaths(classifier), ['evaluations']);
  });
});
