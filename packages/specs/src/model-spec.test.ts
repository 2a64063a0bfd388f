import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ModelSpec, checkModelSpec } from './model-spec.ts';
import { RunSpec } from './run-spec.ts';

/** Every issue of a rejected run spec as 'dotted.path: message'. */
function issuesOf(input: unknown): string[] {
  const result = RunSpec.safeParse(input);
  assert.equal(result.success, false, 'expected the spec to be rejected');
  return result.error!.issues.map(
    (issue) => `${issue.path.map(String).join('.')}: ${issue.message}`,
  );
}

function pathsOf(input: unknown): string[] {
  return issuesOf(input).map((issue) => issue.split(':')[0]!);
}

describe('ModelSpec', () => {
  test('each family is filled in with its defaults', () => {
    const parse = (family: string) => ModelSpec.parse({ family });

    assert.deepEqual(parse('sparse-shallow-ae'), {
      family: 'sparse-shallow-ae',
      channels: 64,
      kernelSize: 7,
      stride: 16,
      decoderKernelSize: 16,
      activation: 'relu',
      sparsity: { weight: 0.01, zeroThreshold: 1e-3, placement: 'post-activation' },
    });
    assert.deepEqual(parse('pooled-ae'), {
      family: 'pooled-ae',
      channels: 64,
      kernelSize: 7,
      stride: 4,
      pool: 'max',
      poolSize: 4,
      decoderKernelSize: 16,
      activation: 'relu',
    });
    assert.deepEqual(parse('deep-ae'), {
      family: 'deep-ae',
      depth: 3,
      baseChannels: 16,
      kernelSize: 3,
      pool: 'max',
      activation: 'relu',
    });
    assert.deepEqual(parse('vae'), {
      family: 'vae',
      channels: [32, 64, 128],
      kernelSize: 4,
      latentSize: 64,
      beta: 1,
      likelihood: 'bernoulli',
      outputSd: 0.1,
    });
    assert.deepEqual(parse('alexnet'), {
      family: 'alexnet',
      variant: 'small',
      classCount: 10,
      widthMultiplier: 1,
      dropoutRate: 0.5,
    });
  });

  test('a partial sparsity or waist penalty is completed from the defaults', () => {
    const sparse = ModelSpec.parse({
      family: 'sparse-pooled-ae',
      sparsity: { placement: 'post-pool' },
    });
    const deep = ModelSpec.parse({ family: 'deep-ae', waistSparsity: { weight: 0.5 } });

    assert.deepEqual(sparse.family === 'sparse-pooled-ae' && sparse.sparsity, {
      weight: 0.01,
      zeroThreshold: 1e-3,
      placement: 'post-pool',
    });
    assert.deepEqual(deep.family === 'deep-ae' && deep.waistSparsity, {
      weight: 0.5,
      zeroThreshold: 1e-3,
    });
  });

  test('parsing a parsed model spec again changes nothing, for every family', () => {
    for (const family of [
      'shallow-ae',
      'sparse-shallow-ae',
      'pooled-ae',
      'sparse-pooled-ae',
      'deep-ae',
      'vae',
      'alexnet',
    ]) {
      const spec = RunSpec.parse({ model: { family } });

      assert.deepEqual(RunSpec.parse(spec), spec, family);
    }
  });
});

describe('RunSpec model checks', () => {
  test('negative and zero sizes are rejected at their field', () => {
    assert.deepEqual(pathsOf({ model: { family: 'pooled-ae', poolSize: -4 } }), [
      'model.poolSize',
    ]);
    assert.deepEqual(pathsOf({ model: { family: 'vae', latentSize: 0 } }), [
      'model.latentSize',
    ]);
    assert.deepEqual(pathsOf({ model: { family: 'vae', channels: [32, -8] } }), [
      'model.channels.1',
    ]);
    assert.deepEqual(pathsOf({ model: { family: 'deep-ae', depth: -2 } }), ['model.depth']);
    assert.deepEqual(
      pathsOf({ model: { family: 'sparse-shallow-ae', sparsity: { weight: -1 } } }),
      ['model.sparsity.weight'],
    );
    assert.deepEqual(pathsOf({ model: { family: 'alexnet', classCount: 1 } }), [
      'model.classCount',
    ]);
  });

  test('an unknown family is rejected at model.family', () => {
    assert.deepEqual(pathsOf({ model: { family: 'colourisation-gan' } }), ['model.family']);
  });

  test('six stride-2 stages on a 32px input are rejected at model.depth', () => {
    const issues = issuesOf({ model: { family: 'deep-ae', depth: 6 }, imageSize: 32 });

    assert.deepEqual(issues, [
      'model.depth: depth 6 needs an input of at least 64px: ' +
        'a 32px input is down to 1px before stage 6',
    ]);
  });

  test('five stride-2 stages on a 32px input are accepted', () => {
    const spec = RunSpec.parse({ model: { family: 'deep-ae', depth: 5 }, imageSize: 32 });

    assert.equal(spec.model.family === 'deep-ae' && spec.model.depth, 5);
  });

  test('a VAE deeper than its input is rejected at model.channels', () => {
    const channels = [8, 8, 8, 8, 8, 8];

    assert.deepEqual(pathsOf({ model: { family: 'vae', channels }, imageSize: 32 }), [
      'model.channels',
    ]);
  });

  test('deep widths that do not match the depth are rejected at model.channels', () => {
    const issues = issuesOf({ model: { family: 'deep-ae', depth: 3, channels: [8, 16] } });

    assert.deepEqual(issues, [
      'model.channels: gives 2 widths for depth 3; give one per stage',
    ]);
  });

  test('a pool larger than the feature map is rejected at model.poolSize', () => {
    const issues = issuesOf({ model: { family: 'sparse-pooled-ae' }, imageSize: 8 });

    assert.deepEqual(issues, [
      'model.poolSize: a 4x4 pool is larger than the 2x2 feature map ' +
        '(a 8px input after stride 4)',
    ]);
    assert.doesNotThrow(() => RunSpec.parse({ model: { family: 'pooled-ae' }, imageSize: 16 }));
  });

  test("'post-pool' sparsity is rejected for the shallow autoencoder only", () => {
    const sparsity = { placement: 'post-pool' };

    assert.deepEqual(pathsOf({ model: { family: 'sparse-shallow-ae', sparsity } }), [
      'model.sparsity.placement',
    ]);
    const pooled = RunSpec.parse({ model: { family: 'sparse-pooled-ae', sparsity } });
    assert.equal(pooled.model.family, 'sparse-pooled-ae');
    assert.deepEqual(
      pathsOf({ model: { family: 'sparse-pooled-ae', sparsity: { placement: 'everywhere' } } }),
      ['model.sparsity.placement'],
    );
  });

  test('the full AlexNet on 32px images is rejected at model.variant', () => {
    const issues = issuesOf({ model: { family: 'alexnet', variant: 'full' }, imageSize: 32 });

    assert.deepEqual(issues, [
      "model.variant: the 'full' AlexNet needs an input of at least 57px for its " +
        "three 3x3 pools; got 32px; 'small' is meant for 32px",
    ]);
    assert.doesNotThrow(() =>
      RunSpec.parse({ model: { family: 'alexnet', variant: 'full' }, imageSize: 224 }),
    );
    assert.deepEqual(pathsOf({ model: { family: 'alexnet' }, imageSize: 8 }), ['model.variant']);
  });

  test('checkModelSpec reports nothing for every default spec at 32px', () => {
    for (const family of ['shallow-ae', 'pooled-ae', 'deep-ae', 'vae', 'alexnet']) {
      assert.deepEqual(checkModelSpec(ModelSpec.parse({ family }), 32), [], family);
    }
  });

  test('the published colorization bins need grid 10; the sRGB bins take any grid', () => {
    const colorization = (model: Record<string, unknown>) => ({
      model: { family: 'colorization', ...model },
    });

    assert.deepEqual(pathsOf(colorization({ gridSize: 20 })), ['model.binSet']);
    const srgb = RunSpec.parse(colorization({ gridSize: 20, binSet: 'srgb' }));
    assert.equal(srgb.model.family === 'colorization' && srgb.model.binSet, 'srgb');
    const published = RunSpec.parse(colorization({}));
    assert.equal(published.model.family === 'colorization' && published.model.binSet, 'zhang-2016');
  });
});
