import type { SyntheticEvent } from 'react';

import type { Artifact } from '../api/types.ts';

/** Grids are drawn at a few pixels per weight or image pixel: enlarge them, crisply. */
const MAX_SCALE = 3;
const MAX_WIDTH_PX = 720;

function enlarge(event: SyntheticEvent<HTMLImageElement>): void {
  const image = event.currentTarget;
  const scale = Math.max(1, Math.min(MAX_SCALE, Math.floor(MAX_WIDTH_PX / image.naturalWidth)));
  image.style.width = `${image.naturalWidth * scale}px`;
}

const KIND_TITLES: Record<string, string> = {
  filters: 'first-layer filters',
  reconstructions: 'reconstructions',
  'prior-samples': 'samples from the prior',
};

/** A run's evaluation images grouped by checkpoint, newest checkpoint first. */
export function ArtifactGallery({ artifacts }: { artifacts: Artifact[] }) {
  if (artifacts.length === 0) {
    return <p className="muted">No images yet: they come with evaluations of checkpoints.</p>;
  }
  const steps = [...new Set(artifacts.map((artifact) => artifact.step ?? -1))].sort(
    (a, b) => b - a,
  );
  return (
    <div className="gallery">
      {steps.map((step) => (
        <div key={step} className="checkpoint" data-step={step}>
          <h3>{step >= 0 ? `step ${step}` : 'no checkpoint'}</h3>
          <div className="images">
            {artifacts
              .filter((artifact) => (artifact.step ?? -1) === step)
              .map((artifact) => (
                <figure key={artifact.id}>
                  <img
                    src={artifact.url}
                    alt={`${KIND_TITLES[artifact.kind] ?? artifact.kind} at step ${step}`}
                    data-artifact-kind={artifact.kind}
                    loading="lazy"
                    onLoad={enlarge}
                  />
                  <figcaption>{KIND_TITLES[artifact.kind] ?? artifact.kind}</figcaption>
                </figure>
              ))}
          </div>
        </div>
      ))}
    </div>
  );
}
