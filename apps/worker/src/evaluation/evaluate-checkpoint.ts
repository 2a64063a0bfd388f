/**
 * Evaluates one checkpoint: loads its weights into a fresh model of the
 * run's spec and runs each evaluation the spec asks for, reporting each
 * kind's rows as soon as they are complete. A kind that fails is reported
 * with its error and the others go on.
 */
import * as tf from '@tensorflow/tfjs-core';

import { deriveSeed, HourglassError, toError, ValidationError } from '@hourglass/common';
import type { StreamingDataset } from '@hourglass/data';
import { extractFeatures } from '@hourglass/evaluation';
import { createModel, type VisionModel } from '@hourglass/models';
import type { EvaluationKind } from '@hourglass/specs';
import { loadCheckpoint, restoreModelWeights } from '@hourglass/training';

import {
  heldOutSource,
  openEvaluationDataset,
  readAreaTrials,
  readLabelledImages,
  readNeuralStimuli,
  type AreaTrials,
  type LabelledImages,
  type NeuralStimuli,
} from './evaluation-inputs.ts';
import type {
  EvaluationFailure,
  EvaluationRequest,
  KindResult,
  ResultRow,
} from './evaluation-messages.ts';
import {
  compareWithCategories,
  fitLayerToAreas,
  generalizeTasks,
  measureReliability,
  probeLayer,
  rsaLayer,
} from './feature-evaluations.ts';
import { evaluateFilters, evaluateReconstructions } from './image-evaluations.ts';

/** Where the evaluation of a checkpoint reports to. */
export interface EvaluationReport {
  onResult(result: KindResult): void;
  onKindFailed(kind: EvaluationKind, failure: EvaluationFailure): void;
}

/** How an error is reported: coded errors keep their code and retry policy. */
export function describeFailure(thrown: unknown): EvaluationFailure {
  const error = toError(thrown);
  const isCoded = error instanceof HourglassError;
  return {
    message: error.message,
    code: isCoded ? error.code : 'HG_INTERNAL',
    isRetryable: isCoded ? error.isRetryable : true,
  };
}

// Kinds that read the neural stimulus set's features, layer by layer.
const NEURAL_KINDS: readonly EvaluationKind[] = ['rsa', 'neural-fit', 'task-generalization'];

/** Evaluates the checkpoint a request names; see the file comment. */
export async function evaluateCheckpoint(
  request: EvaluationRequest,
  report: EvaluationReport,
): Promise<void> {
  const checkpoint = await loadCheckpoint(request.checkpointPath);
  const model = createModel(request.spec);
  const session = new EvaluationSession(request, model);
  try {
    restoreModelWeights(checkpoint, model);
    const usesStimuli = request.spec.evaluation.neuralData !== undefined;
    const neuralKinds = request.kinds.filter(
      (kind) => usesStimuli && NEURAL_KINDS.includes(kind),
    );

    for (const kind of request.kinds) {
      if (neuralKinds.includes(kind)) continue;
      try {
        report.onResult(await session.runKind(kind));
      } catch (thrown) {
        report.onKindFailed(kind, describeFailure(thrown));
      }
    }
    if (neuralKinds.length > 0) await session.runNeuralKinds(neuralKinds, report);
  } finally {
    session.dispose();
    model.dispose();
  }
}

/**
 * The inputs of one checkpoint's evaluations, each read once and only
 * if some kind needs it.
 */
class EvaluationSession {
  private dataset: StreamingDataset | undefined;
  private readonly tensors: tf.Tensor[] = [];
  private readonly seed: number;

  constructor(
    private readonly request: EvaluationRequest,
    private readonly model: VisionModel,
  ) {
    this.seed = deriveSeed(request.spec.seed, 'evaluation');
  }

  async runKind(kind: EvaluationKind): Promise<KindResult> {
    const target = { ...this.request, seed: this.seed };
    switch (kind) {
      case 'filters':
        return evaluateFilters(this.model, target);
      case 'reconstructions': {
        const count = this.request.spec.evaluation.reconstructionImages;
        const { images } = await this.readHeldOut(count, this.seed);
        return evaluateReconstructions(this.model, images, target);
      }
      case 'linear-probe':
        return { kind, rows: await this.probe(), artifacts: [] };
      case 'rsa':
        return { kind, rows: await this.compareWithCategories(), artifacts: [] };
      default:
        throw new Error(`${kind} needs the spec's evaluation.neuralData`);
    }
  }

  private async probe(): Promise<ResultRow[]> {
    const { probe } = this.request.spec.evaluation;
    const dataset = await this.openDataset();
    const train = this.keep(await readLabelledImages(dataset.train, probe.trainImages, this.seed));
    const test = await this.readHeldOut(probe.testImages, this.seed + 1);
    const rows: ResultRow[] = [];
    for (const layer of this.layers()) {
      const trainFeatures = this.features(layer, train.images);
      const testFeatures = this.features(layer, test.images);
      try {
        rows.push(
          ...probeLayer(
            layer,
            { features: trainFeatures, labels: train.labels },
            { features: testFeatures, labels: test.labels },
            {
              settings: this.request.spec.evaluation,
              classes: dataset.classNames.length,
              seed: this.seed,
            },
          ),
        );
      } finally {
        tf.dispose([trainFeatures, testFeatures]);
      }
    }
    return rows;
  }

  private async compareWithCategories(): Promise<ResultRow[]> {
    const { rsaImages } = this.request.spec.evaluation;
    const held = await this.readHeldOut(rsaImages, this.seed + 2);
    const rows: ResultRow[] = [];
    for (const layer of this.layers()) {
      const features = this.features(layer, held.images);
      try {
        rows.push(...compareWithCategories(layer, features, held.labels));
      } finally {
        features.dispose();
      }
    }
    return rows;
  }

  /**
   * RSA, neural fitting and task generalization on the stimulus set.
   * Layers are the outer loop so each layer's features are computed once
   * and dropped before the next; a kind that fails stops there.
   */
  async runNeuralKinds(kinds: EvaluationKind[], report: EvaluationReport): Promise<void> {
    let stimuli: NeuralStimuli;
    let areas: AreaTrials[];
    let layers: readonly string[];
    try {
      layers = this.layers();
      stimuli = await readNeuralStimuli(
        this.request.spec.evaluation.neuralData!,
        this.request.spec.imageSize,
      );
      this.tensors.push(stimuli.images);
      areas = Object.keys(stimuli.dataset.areas).map((area) => {
        const trials = readAreaTrials(stimuli.dataset, area);
        this.tensors.push(trials.mean, trials.trials);
        return trials;
      });
    } catch (thrown) {
      for (const kind of kinds) report.onKindFailed(kind, describeFailure(thrown));
      return;
    }

    const rows = new Map(kinds.map((kind) => [kind, [] as ResultRow[]]));
    const reliability = kinds.includes('neural-fit')
      ? measureReliability(areas, this.seed)
      : new Map<string, Float32Array>();
    const { dataset } = stimuli;
    const run = (kind: EvaluationKind, compute: () => ResultRow[]) => {
      if (!rows.has(kind)) return;
      try {
        rows.get(kind)!.push(...compute());
      } catch (thrown) {
        rows.delete(kind);
        report.onKindFailed(kind, describeFailure(thrown));
      }
    };
    const settings = this.request.spec.evaluation;
    const folds = { folds: settings.neuralFit.folds, seed: this.seed };

    for (const layer of layers) {
      const features = this.features(layer, stimuli.images);
      try {
        run('rsa', () => rsaLayer(layer, features, dataset, areas, this.seed));
        run('neural-fit', () =>
          fitLayerToAreas(layer, features, dataset, areas, {
            settings,
            reliability,
            seed: this.seed,
          }),
        );
        run('task-generalization', () =>
          generalizeTasks({ layer, area: '' }, features, dataset, folds),
        );
      } finally {
        features.dispose();
      }
    }
    // The same tasks read from the recordings: the reference for the layers.
    for (const { area, mean } of areas) {
      run('task-generalization', () =>
        generalizeTasks({ layer: '', area }, mean, dataset, folds),
      );
    }
    for (const [kind, kindRows] of rows) {
      report.onResult({ kind, rows: kindRows, artifacts: [] });
    }
  }

  /** The layers the spec names (all encoding layers by default), checked. */
  private layers(): readonly string[] {
    const known = this.model.encodingLayers;
    const asked = this.request.spec.evaluation.layers ?? known;
    const unknown = asked.filter((layer) => !known.includes(layer));
    if (unknown.length > 0) {
      throw new ValidationError('evaluation settings', [
        {
          path: 'evaluation.layers',
          message:
            `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an encoding ` +
            `layer of this ${this.model.family} model (${known.join(', ')})`,
        },
      ]);
    }
    return asked;
  }

  private features(layer: string, images: tf.Tensor4D): tf.Tensor2D {
    const { featureDimensions, featureResize } = this.request.spec.evaluation;
    const byLayer = extractFeatures(this.model, images, {
      layers: [layer],
      targetDimensions: featureDimensions,
      method: featureResize,
    });
    return byLayer[layer]!;
  }

  private async openDataset(): Promise<StreamingDataset> {
    this.dataset ??= await openEvaluationDataset(this.request.spec);
    return this.dataset;
  }

  private async readHeldOut(limit: number, seed: number): Promise<LabelledImages> {
    const dataset = await this.openDataset();
    return this.keep(await readLabelledImages(heldOutSource(dataset), limit, seed));
  }

  private keep(images: LabelledImages): LabelledImages {
    this.tensors.push(images.images);
    return images;
  }

  dispose(): void {
    tf.dispose(this.tensors);
  }
}
