import { useEffect, useRef, type RefObject } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * Mounts a uPlot chart in a container and keeps it the container's width.
 * The chart is made again when `shapeKey` changes (other series or
 * scales); new data alone goes through setData, which only redraws.
 * After each draw the container's `data-drawn-points` holds the points
 * drawn, for tests and the render benchmark to wait on.
 */
export function useUPlot(
  containerRef: RefObject<HTMLDivElement | null>,
  makeOptions: () => Omit<uPlot.Options, 'width'>,
  data: uPlot.AlignedData,
  shapeKey: string,
): void {
  const plotRef = useRef<uPlot | undefined>(undefined);
  const dataRef = useRef(data);
  dataRef.current = data;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const options = makeOptions();
    const markDrawn = (plot: uPlot) => {
      let points = 0;
      for (const column of plot.data.slice(1)) {
        for (const value of column) if (value != null) points += 1;
      }
      container.dataset.drawnPoints = String(points);
    };
    const plot = new uPlot(
      {
        ...options,
        width: Math.max(container.clientWidth, 200),
        hooks: { ...options.hooks, draw: [...(options.hooks?.draw ?? []), markDrawn] },
      },
      dataRef.current,
      container,
    );
    plotRef.current = plot;
    const observer = new ResizeObserver(() => {
      const width = Math.max(container.clientWidth, 200);
      if (width !== plot.width) plot.setSize({ width, height: plot.height });
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = undefined;
    };
    // The chart is rebuilt only when its shape changes; makeOptions is read then.
  }, [containerRef, shapeKey]);

  useEffect(() => {
    const plot = plotRef.current;
    if (plot && plot.data !== data) plot.setData(data);
  }, [data]);
}
