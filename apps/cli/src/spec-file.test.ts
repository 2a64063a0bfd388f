import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { SweepSpec } from '@hourglass/sweeps';

import { readSpecFile } from './spec-file.ts';

const EXAMPLE = new URL('../../../examples/shallow-ae-sweep.yaml', import.meta.url);

describe('readSpecFile', () => {
  let folder: string;
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'hourglass-cli-test-'));
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  test('a .yaml file is read as YAML and a .json file as JSON, to the same value', async () => {
    const yamlPath = join(folder, 'sweep.yaml');
    const jsonPath = join(folder, 'sweep.json');
    await writeFile(yamlPath, 'base:\n  model: { family: shallow-ae }\nseeds: [0, 1]\n');
    await writeFile(jsonPath, '{"base": {"model": {"family": "shallow-ae"}}, "seeds": [0, 1]}');

    const fromYaml = await readSpecFile(yamlPath);
    const fromJson = await readSpecFile(jsonPath);

    assert.deepEqual(fromYaml, { base: { model: { family: 'shallow-ae' } }, seeds: [0, 1] });
    assert.deepEqual(fromYaml, fromJson);
  });

  test('a file that does not parse is refused naming the file and its format', async () => {
    const path = join(folder, 'broken.yml');
    await writeFile(path, 'base: [unclosed\n');

    await assert.rejects(readSpecFile(path), /broken\.yml is not valid YAML/);
  });

  test('the example sweep in examples/ is a valid sweep spec', async () => {
    const spec = SweepSpec.parse(await readSpecFile(EXAMPLE.pathname));

    assert.equal(spec.maxConcurrent, 2);
    assert.deepEqual(Object.keys(spec.parameters), ['optimizer.learningRate', 'model.activation']);
  });
});
