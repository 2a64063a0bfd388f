import { useMemo, useRef } from 'react';

import { seriesColor } from './palette.ts';
import { alignSeries, countPoints, type Series } from './series.ts';
import { useUPlot } from './use-uplot.ts';

interface LineChartProps {
  title: string;
  series: Series[];
  height?: number;
  /** Draws y on a log scale (positive values only). */
  isLogY?: boolean;
  /**
   * Marks each point: for sparse series (scores at checkpoints), where a
   * lone point would otherwise not show at all.
   */
  hasMarkers?: boolean;
}

/**
 * Lines of values by step, one per series, drawn with uPlot: canvas
 * drawing that stays smooth with tens of thousands of points per series.
 * The wrapper's `data-points` says how many points the chart holds.
 */
export function LineChart(props: LineChartProps) {
  const { title, series, height = 220, isLogY = false, hasMarkers = false } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const data = useMemo(() => alignSeries(series), [series]);
  const labels = series.map((line) => line.label).join('\u0000');
  const shapeKey = `${labels}|${height}|${isLogY}|${hasMarkers}`;

  useUPlot(
    containerRef,
    () => ({
      height,
      scales: { x: { time: false }, y: isLogY ? { distr: 3 } : {} },
      axes: [{ label: 'step' }, { size: 60 }],
      series: [
        { label: 'step' },
        ...series.map((line, index) => ({
          label: line.label,
          stroke: seriesColor(index),
          width: 1.5,
          spanGaps: true,
          points: { show: hasMarkers, size: 6 },
        })),
      ],
    }),
    data,
    shapeKey,
  );

  return (
    <figure className="chart" data-chart={title} data-points={countPoints(series)}>
      <figcaption>{title}</figcaption>
      <div ref={containerRef} />
    </figure>
  );
}
