import { useMemo, useRef } from 'react';
import type uPlot from 'uplot';

import { seriesColor } from './palette.ts';
import { useUPlot } from './use-uplot.ts';

/** One dot: a hyperparameter's value (number or category) against a metric. */
export interface ScatterPoint {
  x: number | string;
  y: number;
}

interface ScatterChartProps {
  title: string;
  xLabel: string;
  yLabel: string;
  points: ScatterPoint[];
  height?: number;
}

/**
 * Dots of a metric against one hyperparameter. Categories (activations,
 * pool kinds) sit at evenly spaced positions named on the axis; a numeric
 * parameter spanning 1.5 decades or more (a learning rate) gets a log
 * axis, as sweeps space such values evenly in log10.
 */
export function ScatterChart({ title, xLabel, yLabel, points, height = 260 }: ScatterChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const categories = useMemo(
    () => [...new Set(points.filter((p) => typeof p.x !== 'number').map((p) => String(p.x)))],
    [points],
  );
  const isCategorical = categories.length > 0;
  const { data, isLogX } = useMemo(() => {
    const placed = points
      .map((point) => ({
        x: isCategorical ? categories.indexOf(String(point.x)) : Number(point.x),
        y: point.y,
      }))
      .sort((a, b) => a.x - b.x);
    const xs = placed.map((point) => point.x);
    const positive = xs.length > 0 && xs.every((x) => x > 0);
    const spansDecades = positive && Math.max(...xs) / Math.min(...xs) >= 30;
    const aligned: uPlot.AlignedData = [xs, placed.map((point) => point.y)];
    return { data: aligned, isLogX: !isCategorical && spansDecades };
  }, [points, categories, isCategorical]);
  const shapeKey = `${xLabel}|${yLabel}|${isLogX}|${categories.join(',')}`;

  useUPlot(
    containerRef,
    () => ({
      height,
      scales: {
        x: {
          time: false,
          ...(isLogX ? { distr: 3 } : {}),
          ...(isCategorical ? { range: [-0.5, categories.length - 0.5] } : {}),
        },
      },
      axes: [
        {
          label: xLabel,
          ...(isCategorical
            ? {
                splits: () => categories.map((_, index) => index),
                values: (_plot: uPlot, splits: number[]) =>
                  splits.map((split) => categories[split] ?? ''),
              }
            : {}),
        },
        { label: yLabel, size: 60 },
      ],
      series: [
        { label: xLabel },
        {
          label: yLabel,
          stroke: seriesColor(0),
          fill: seriesColor(0),
          // No line: two runs next to each other on x are not a trend.
          paths: () => null,
          points: { show: true, size: 9 },
        },
      ],
    }),
    data,
    shapeKey,
  );

  return (
    <figure className="chart" data-chart={title} data-points={points.length}>
      <figcaption>{title}</figcaption>
      <div ref={containerRef} />
    </figure>
  );
}
